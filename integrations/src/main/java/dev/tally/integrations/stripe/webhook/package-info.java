/**
 * Turns verified Stripe webhook events into ledger commands. Ids are derived from Stripe's, so a
 * redelivered event changes nothing; an event that refers to something the ledger has not yet
 * recorded (a refund of a payment still to come) answers pending and is tried again later.
 */
package dev.tally.integrations.stripe.webhook;
