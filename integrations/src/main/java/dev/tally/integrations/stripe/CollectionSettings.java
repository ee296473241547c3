package dev.tally.integrations.stripe;

import java.time.Duration;
import java.util.Objects;

/**
 * How the invoice collection behaves: {@code paymentTerms} after issue an unpaid invoice is overdue
 * (the ledger has no due date of its own); {@code retryDelay} is the first wait before asking Stripe
 * again after an unknown outcome, doubled on each further attempt.
 */
public record CollectionSettings(Duration paymentTerms, Duration retryDelay) {

    public static final Duration DEFAULT_PAYMENT_TERMS = Duration.ofDays(30);
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofMinutes(1);
    /** The longest wait between two attempts. */
    public static final Duration MAX_RETRY_DELAY = Duration.ofHours(1);
    /** Attempts after which the saga stops retrying by itself and waits for a webhook or a human. */
    public static final int MAX_ATTEMPTS = 12;

    public CollectionSettings {
        Objects.requireNonNull(paymentTerms, "paymentTerms");
        Objects.requireNonNull(retryDelay, "retryDelay");
        if (paymentTerms.isNegative() || retryDelay.isNegative() || retryDelay.isZero()) {
            throw new IllegalArgumentException("payment terms and retry delay must be positive");
        }
    }

    public static CollectionSettings defaults() {
        return new CollectionSettings(DEFAULT_PAYMENT_TERMS, DEFAULT_RETRY_DELAY);
    }

    /** The wait before attempt {@code attempt + 1}: exponential from retryDelay, capped. */
    public Duration delayAfter(int attempt) {
        Duration delay = retryDelay;
        for (int i = 1; i < attempt && delay.compareTo(MAX_RETRY_DELAY) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay;
    }
}
