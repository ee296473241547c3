/**
 * The Orb sync's wiring: the client, the two processors ({@code orb-usage} for usage,
 * {@code orb-accounts} for customers and credits) with their tokens in PostgreSQL and their own
 * dead-letter queues, and the retry metric. Runs with the integrations role and only when
 * {@code tally.orb.api-key} is set.
 */
package dev.tally.server.integration.orb;
