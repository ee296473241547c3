package dev.tally.projections.invoice;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * An invoice as finance reads it. {@code status} is issued, paid or void; {@code amountPaid} is
 * what payments (and unapplied cash at issue) settled; {@code creditCarriedForward} a negative
 * balance turned into a prepaid grant; {@code dueAt} its issue plus the account's payment terms.
 * {@code paymentFailures} counts the collection attempts that failed ({@code lastPaymentFailure}
 * says why) and {@code overdueSince} is the due date an unpaid invoice passed as the Stripe
 * collection recorded it; both stay as history once the invoice is paid.
 */
public record InvoiceView(String invoiceId, String number, String accountId, String currency, Instant periodStart,
                          Instant periodEnd, String status, Instant issuedAt, List<InvoiceLineView> lines,
                          BigDecimal subtotal, BigDecimal creditsApplied, BigDecimal creditCarriedForward,
                          BigDecimal total, BigDecimal amountPaid, Instant voidedAt, String voidReason,
                          int paymentFailures, String lastPaymentFailure, Instant overdueSince, Instant dueAt) {

    public BigDecimal amountDue() {
        return "void".equals(status) ? BigDecimal.ZERO : total.subtract(amountPaid);
    }

    /**
     * Whether the invoice is overdue at {@code now}: issued, still owing, and {@code now} at or past
     * its due date. Asked at read time with the reader's clock, never stored: the projection holds
     * only facts of the events, so that a replay rebuilds it byte for byte whenever it runs.
     */
    public boolean isOverdueAt(Instant now) {
        return "issued".equals(status) && amountDue().signum() > 0 && !now.isBefore(dueAt);
    }
}
