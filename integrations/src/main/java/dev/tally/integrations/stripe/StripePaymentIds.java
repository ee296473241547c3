package dev.tally.integrations.stripe;

/**
 * Ledger payment and refund ids derived from Stripe's ids, so that the saga and every webhook
 * delivery name the same payment the same way and the ledger records it once.
 */
public final class StripePaymentIds {

    private StripePaymentIds() {
    }

    /** The payment that settled a Stripe invoice (whichever PaymentIntent paid it). */
    public static String forInvoice(String stripeInvoiceId) {
        return "stripe_" + stripeInvoiceId;
    }

    /** A payment Tally took outside any invoice, e.g. a prepayment. */
    public static String forPaymentIntent(String paymentIntentId) {
        return "stripe_" + paymentIntentId;
    }

    public static String forRefund(String refundId) {
        return "stripe_" + refundId;
    }

    /** The n-th failed attempt at a Stripe invoice (Stripe's {@code attempt_count} after it). */
    public static String forFailedAttempt(String stripeInvoiceId, long attemptCount) {
        return "stripe_" + stripeInvoiceId + "_attempt_" + attemptCount;
    }

    /** Whether a ledger payment id names a payment Stripe collected. */
    public static boolean isStripe(String paymentId) {
        return paymentId != null && paymentId.startsWith("stripe_");
    }
}
