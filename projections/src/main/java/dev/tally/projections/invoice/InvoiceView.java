package dev.tally.projections.invoice;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * An invoice as finance reads it. {@code status} is issued, paid or void; {@code amountPaid} is
 * what payments (and unapplied cash at issue) settled; {@code creditCarriedForward} a negative
 * balance turned into a prepaid grant. {@code paymentFailures} counts the collection attempts that
 * failed ({@code lastPaymentFailure} says why) and {@code overdueSince} is the due date an unpaid
 * invoice passed; both stay as history once the invoice is paid.
 */
public record InvoiceView(String invoiceId, String number, String accountId, String currency, Instant periodStart,
                          Instant periodEnd, String status, Instant issuedAt, List<InvoiceLineView> lines,
                          BigDecimal subtotal, BigDecimal creditsApplied, BigDecimal creditCarriedForward,
                          BigDecimal total, BigDecimal amountPaid, Instant voidedAt, String voidReason,
                          int paymentFailures, String lastPaymentFailure, Instant overdueSince) {

    public BigDecimal amountDue() {
        return "void".equals(status) ? BigDecimal.ZERO : total.subtract(amountPaid);
    }
}
