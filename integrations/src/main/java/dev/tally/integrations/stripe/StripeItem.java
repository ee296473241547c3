package dev.tally.integrations.stripe;

/**
 * One Stripe invoice item: {@code lineKey} names it within its invoice (kept in its metadata), so
 * that a collector resuming after a failure can see which items already exist.
 */
public record StripeItem(String lineKey, String description, long amountMinorUnits) {
}
