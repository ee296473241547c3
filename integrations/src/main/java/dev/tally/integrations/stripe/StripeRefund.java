package dev.tally.integrations.stripe;

/** A refund as Stripe lists it for a charge; only {@code succeeded} ones have moved money. */
public record StripeRefund(String refundId, long amountMinorUnits, String currency, String status) {

    public boolean succeeded() {
        return "succeeded".equals(status);
    }
}
