package dev.tally.integrations.stripe;

/**
 * What Stripe answered about collecting an invoice. {@code PAID}: {@code amountPaidMinorUnits} was
 * charged; {@code DECLINED}: the charge was refused ({@code reason}), {@code failureId} names the
 * attempt the same way the {@code invoice.payment_failed} webhook does. A timeout or a server error
 * is not a result: it is {@link StripeOutcomeUnknown}, to be resolved by asking again.
 */
public record CollectionResult(Status status, String stripeInvoiceId, long amountPaidMinorUnits, String currency,
                               String failureId, String reason) {

    public enum Status { PAID, DECLINED }

    public static CollectionResult paid(String stripeInvoiceId, long amountPaidMinorUnits, String currency) {
        return new CollectionResult(Status.PAID, stripeInvoiceId, amountPaidMinorUnits, currency, null, null);
    }

    public static CollectionResult declined(String stripeInvoiceId, String failureId, String reason) {
        return new CollectionResult(Status.DECLINED, stripeInvoiceId, 0, null, failureId, reason);
    }
}
