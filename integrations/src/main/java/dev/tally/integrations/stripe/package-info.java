/**
 * Keeps Stripe in step with the ledger, which stays the system of record: a Stripe customer for
 * every account, and a Stripe invoice collected for every issued invoice that still owes money.
 * Every call carries an {@code Idempotency-Key} derived from ledger ids ({@link
 * dev.tally.integrations.stripe.IdempotencyKeys}), so a retry never charges twice.
 */
package dev.tally.integrations.stripe;
