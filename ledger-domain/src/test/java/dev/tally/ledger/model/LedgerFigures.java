package dev.tally.ledger.model;

import dev.tally.ledger.api.invoice.LineKind;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The figures of one account that the calculator predicts and the ledger's events must show.
 * Amounts are exact unless named rounded; journal balances are signed debit minus credit per
 * ledger account. {@code uncoveredByPeriod} is every uncovered change of a period's usage and
 * charges, billed or not; {@code unbilled} only what no invoice has billed yet.
 * {@code coverage} counts which rules a scenario exercised; it is reported, never compared.
 */
record LedgerFigures(List<StepOutcome> outcomes,
                     Map<String, BigDecimal> grantRemaining,
                     BigDecimal creditBalance,
                     Map<MeterPeriod, BigDecimal> quantities,
                     Map<MeterPeriod, BigDecimal> accruals,
                     Map<Instant, BigDecimal> uncoveredByPeriod,
                     List<InvoiceFigures> invoices,
                     BigDecimal unbilled,
                     BigDecimal invoicedOutstanding,
                     BigDecimal unappliedCash,
                     BigDecimal amountDue,
                     Map<String, BigDecimal> journalBalances,
                     Map<String, Integer> coverage) {

    LedgerFigures {
        outcomes = List.copyOf(outcomes);
        invoices = List.copyOf(invoices);
    }

    /** How a request was answered. */
    enum Outcome { ACCEPTED, DUPLICATE, REJECTED }

    /**
     * The answer to one request. {@code exact} is false where the spec says only that nothing
     * changes (voiding or expiring a grant that is already gone), so only acceptance is compared.
     */
    record StepOutcome(String request, Outcome outcome, boolean exact) {
    }

    /** A meter within one billing period, the key of a cumulative quantity. */
    record MeterPeriod(Instant periodStart, String meter) {
    }

    /**
     * One invoice as issued, with what was paid on it and whether it was voided by the end of the
     * scenario. {@code drawnAtIssue} is what grants funded when it was issued (exact);
     * {@code carriedForward} the negative balance that became a prepaid grant.
     */
    record InvoiceFigures(String invoiceId, Instant periodStart, List<LineFigures> lines, BigDecimal subtotal,
                          BigDecimal creditsApplied, BigDecimal total, BigDecimal drawnAtIssue,
                          BigDecimal carriedForward, BigDecimal paid, boolean voided) {

        InvoiceFigures {
            lines = List.copyOf(lines);
        }
    }

    /**
     * One invoice line: {@code amount} is {@code exactAmount} rounded. {@code meter} is set on usage
     * lines, {@code chargeId} on charge lines; {@code periodStart} is the period the line bills.
     */
    record LineFigures(LineKind kind, String meter, Instant periodStart, String chargeId, BigDecimal exactAmount,
                       BigDecimal amount) {
    }
}
