/**
 * Verifies Orb's webhook signatures (HMAC-SHA256 over {@code v1:<timestamp>:<body>}, PROTOCOLS A.4)
 * without Orb's SDK, which these machines cannot fetch.
 */
package dev.tally.integrations.orb.webhook;
