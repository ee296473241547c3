package dev.tally.replay.reconcile;

import java.math.BigDecimal;

/**
 * A Stripe invoice of a Tally customer, amounts converted from minor units; {@code tallyInvoiceId}
 * is its {@code metadata.tally_invoice_id}, null for an invoice Tally did not create.
 */
record StripeInvoice(String id, String tallyInvoiceId, String currency, BigDecimal total, BigDecimal amountPaid,
                     String status) {

    boolean isPaid() {
        return "paid".equals(status);
    }
}
