package dev.tally.replay.reconcile;

import java.math.BigDecimal;

/**
 * An invoice as the ledger's events leave it. {@code toCollect} is what was left for Stripe at
 * issue (the total less unapplied cash settled at issue: the Stripe invoice's total);
 * {@code paidViaStripe} what Stripe payments settled on it (refunds do not lower a Stripe invoice's
 * {@code amount_paid}, so they are not subtracted); {@code paid} what every payment settled.
 */
record LedgerInvoice(String invoiceId, String number, String accountId, String currency, BigDecimal total,
                     BigDecimal toCollect, BigDecimal paidViaStripe, BigDecimal paid, boolean voided) {

    boolean isPaid() {
        return !voided && paid.compareTo(total) >= 0;
    }

    boolean isCollectedByStripe() {
        return paidViaStripe.compareTo(toCollect) >= 0;
    }
}
