package dev.tally.integrations.stripe;

import java.time.Duration;
import java.util.Objects;

/**
 * How the invoice collection behaves: {@code retryDelay} is the first wait before asking Stripe
 * again after an unknown outcome, doubled on each further attempt. When an invoice falls due is the
 * ledger's to say ({@code InvoiceIssued.dueAt}, from the account's payment terms), not a setting here.
 */
public record CollectionSettings(Duration retryDelay) {

    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofMinutes(1);
    /** The longest wait between two attempts. */
    public static final Duration MAX_RETRY_DELAY = Duration.ofHours(1);
    /** Attempts after which the saga stops retrying by itself and waits for a webhook or a human. */
    public static final int MAX_ATTEMPTS = 12;

    public CollectionSettings {
        Objects.requireNonNull(retryDelay, "retryDelay");
        if (retryDelay.isNegative() || retryDelay.isZero()) {
            throw new IllegalArgumentException("the retry delay must be positive");
        }
    }

    public static CollectionSettings defaults() {
        return new CollectionSettings(DEFAULT_RETRY_DELAY);
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
