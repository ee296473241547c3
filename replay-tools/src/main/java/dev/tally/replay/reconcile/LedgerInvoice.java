package dev.tally.replay.reconcile;

import java.math.BigDecimal;

/** An invoice as the ledger's events leave it: its total, what payments settled on it, and whether it was voided. */
record LedgerInvoice(String invoiceId, String number, String accountId, String currency, BigDecimal total,
                     BigDecimal paid, boolean voided) {

    boolean isPaid() {
        return !voided && paid.compareTo(total) >= 0;
    }
}
