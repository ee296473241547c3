/**
 * {@code POST /webhooks/stripe} and {@code POST /webhooks/orb}: authenticated by their signatures
 * (no API key), recorded once per (source, event id) in {@code integrations.webhook_inbox}, applied
 * to the ledger through commands, and retried while they cannot apply yet.
 */
package dev.tally.server.integration.webhook;
