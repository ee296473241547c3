/**
 * The server's wiring of the Stripe sync: the stripe-java client (only when {@code TALLY_STRIPE_API_KEY}
 * is set), and in processes with the {@code integrations} role the customer sync's processor, the
 * invoice collection saga's processor, and the saga's deadlines in db-scheduler on PostgreSQL.
 */
package dev.tally.server.integration.stripe;
