package dev.tally.ledger.model;

import dev.tally.ledger.api.invoice.LineKind;
import dev.tally.ledger.model.LedgerFigures.InvoiceFigures;
import dev.tally.ledger.model.LedgerFigures.LineFigures;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One invoice the calculator issued: its figures as issued, and what payments and a void did to it since. */
final class SpecInvoice {

    final String invoiceId;
    final Instant periodStart;
    final List<LineFigures> lines;
    final BigDecimal subtotal;
    final BigDecimal creditsApplied;
    final BigDecimal total;
    final BigDecimal drawnAtIssue;
    final BigDecimal carriedForward;
    /** The minimum true-up it billed (0 without one). */
    final BigDecimal trueUp;
    /** Per grant, what issue-time funding drew; a void gives it back whole (no accrual restores it). */
    final Map<String, BigDecimal> drawnAtIssueByGrant;
    BigDecimal paid = BigDecimal.ZERO;
    boolean voided;

    SpecInvoice(String invoiceId, Instant periodStart, List<LineFigures> lines, BigDecimal subtotal,
                BigDecimal creditsApplied, BigDecimal total, BigDecimal drawnAtIssue, BigDecimal carriedForward,
                Map<String, BigDecimal> drawnAtIssueByGrant) {
        this.invoiceId = invoiceId;
        this.periodStart = periodStart;
        this.lines = List.copyOf(lines);
        this.subtotal = subtotal;
        this.creditsApplied = creditsApplied;
        this.total = total;
        this.drawnAtIssue = drawnAtIssue;
        this.carriedForward = carriedForward;
        this.drawnAtIssueByGrant = new TreeMap<>(drawnAtIssueByGrant);
        this.trueUp = lines.stream().filter(line -> line.kind() == LineKind.MINIMUM).map(LineFigures::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** What is still owed on it; a voided invoice owes nothing. */
    BigDecimal due() {
        return voided ? BigDecimal.ZERO : total.subtract(paid);
    }

    /** Payments settle it: not voided and something owed. */
    boolean isOpen() {
        return due().signum() > 0;
    }

    InvoiceFigures figures() {
        return new InvoiceFigures(invoiceId, periodStart, lines, subtotal, creditsApplied, total, drawnAtIssue,
                carriedForward, paid, voided);
    }
}
