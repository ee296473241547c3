/**
 * {@code tally-replay reconcile}: the ledger against Orb (usage per customer and meter) and
 * Stripe (invoices and what was paid on them) for one month, each side read through its own API.
 */
package dev.tally.replay.reconcile;
