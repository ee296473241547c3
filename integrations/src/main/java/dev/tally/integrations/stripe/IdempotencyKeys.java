package dev.tally.integrations.stripe;

/**
 * Stripe {@code Idempotency-Key}s derived from ledger ids, so that every retry of the same step
 * (by the SDK, by a saga after a crash, by another server) names the same request and Stripe
 * replays its first answer. The attempt number changes only after the collector has looked at
 * Stripe and found the step not done, so a new key never repeats work that happened.
 */
public final class IdempotencyKeys {

    /** Stripe accepts keys of at most 255 characters. */
    public static final int MAX_LENGTH = 255;

    private IdempotencyKeys() {
    }

    public static String customer(String accountId) {
        return checked("tally:customer:" + accountId);
    }

    public static String invoiceStep(String invoiceId, String step, int attempt) {
        return checked("tally:" + invoiceId + ":" + step + ":" + attempt);
    }

    private static String checked(String key) {
        if (key.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("idempotency key longer than " + MAX_LENGTH + ": " + key);
        }
        return key;
    }
}
