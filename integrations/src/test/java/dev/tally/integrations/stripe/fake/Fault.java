package dev.tally.integrations.stripe.fake;

/** What the fake does to the next matching request instead of (or after) answering it. */
public enum Fault {
    /** 429 before any work, with {@code Stripe-Should-Retry: false}; nothing stored under the idempotency key. */
    RATE_LIMITED,
    /** 429 before any work, with {@code Retry-After} ({@link FakeStripe#retryAfter}); nothing stored. */
    RATE_LIMITED_RETRY_AFTER,
    /** 500 without doing the work; stored under the key and replayed, as Stripe does. */
    SERVER_ERROR,
    /**
     * The work is done and its answer stored (or, for a key seen before, the stored answer replayed),
     * but the answer never arrives: the connection is held until the client gives up and sends the
     * request again, then dropped.
     */
    TIMEOUT_AFTER_WORK,
    /** The connection drops before any work. */
    CONNECTION_RESET
}
