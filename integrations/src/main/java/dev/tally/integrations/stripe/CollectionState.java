package dev.tally.integrations.stripe;

/**
 * Where collecting an invoice stands. {@code UNKNOWN} differs from {@code FAILED}: Stripe may have
 * charged, so the next step is to ask it, never to charge again.
 */
public enum CollectionState {
    /** Not yet attempted, or waiting for the account's Stripe customer. */
    PENDING,
    /** Stripe says paid; the ledger records the payment and the saga ends when it settles the invoice. */
    PAID,
    /** Stripe declined the charge; the invoice stays open until paid another way, voided or overdue. */
    FAILED,
    /** Timeout, dropped connection or server error: retried by asking Stripe again. */
    UNKNOWN
}
