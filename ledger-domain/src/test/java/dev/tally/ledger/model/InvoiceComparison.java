package dev.tally.ledger.model;

import dev.tally.ledger.model.LedgerFigures.InvoiceFigures;
import dev.tally.ledger.model.LedgerFigures.LineFigures;
import java.util.List;
import java.util.Objects;

/** Lists every difference between the invoices the calculator expects and those the ledger issued, line by line. */
final class InvoiceComparison {

    private InvoiceComparison() {
    }

    static void compare(List<InvoiceFigures> expected, List<InvoiceFigures> actual, List<String> differences) {
        if (expected.size() != actual.size()) {
            differences.add("invoices: expected " + periods(expected) + " but the ledger issued " + periods(actual));
            return;
        }
        for (int index = 0; index < expected.size(); index++) {
            compareInvoice(expected.get(index), actual.get(index), differences);
        }
    }

    private static void compareInvoice(InvoiceFigures want, InvoiceFigures got, List<String> differences) {
        String name = "invoice for " + want.periodStart() + " ";
        if (!want.invoiceId().equals(got.invoiceId()) || !want.periodStart().equals(got.periodStart())) {
            differences.add(name + "expected but the ledger issued one for " + got.periodStart());
            return;
        }
        compareLines(name, want.lines(), got.lines(), differences);
        LedgerMatchesSpecCalculatorProperties.compare(name + "subtotal", want.subtotal(), got.subtotal(), differences);
        LedgerMatchesSpecCalculatorProperties.compare(name + "creditsApplied", want.creditsApplied(),
                got.creditsApplied(), differences);
        LedgerMatchesSpecCalculatorProperties.compare(name + "total", want.total(), got.total(), differences);
        LedgerMatchesSpecCalculatorProperties.compare(name + "drawn at issue", want.drawnAtIssue(), got.drawnAtIssue(),
                differences);
        LedgerMatchesSpecCalculatorProperties.compare(name + "carried forward", want.carriedForward(),
                got.carriedForward(), differences);
        LedgerMatchesSpecCalculatorProperties.compare(name + "paid", want.paid(), got.paid(), differences);
        if (want.voided() != got.voided()) {
            differences.add(name + (want.voided() ? "should be void" : "should not be void"));
        }
    }

    private static void compareLines(String name, List<LineFigures> want, List<LineFigures> got,
                                     List<String> differences) {
        if (want.size() != got.size()) {
            differences.add(name + "lines: expected " + want + " but the ledger has " + got);
            return;
        }
        for (int index = 0; index < want.size(); index++) {
            LineFigures expected = want.get(index);
            LineFigures actual = got.get(index);
            boolean sameLine = expected.kind() == actual.kind() && Objects.equals(expected.meter(), actual.meter())
                    && Objects.equals(expected.periodStart(), actual.periodStart())
                    && Objects.equals(expected.chargeId(), actual.chargeId())
                    && expected.exactAmount().compareTo(actual.exactAmount()) == 0
                    && expected.amount().compareTo(actual.amount()) == 0;
            if (!sameLine) {
                differences.add(name + "line " + index + ": expected " + expected + " but the ledger has " + actual);
            }
        }
    }

    private static List<String> periods(List<InvoiceFigures> invoices) {
        return invoices.stream().map(invoice -> invoice.periodStart().toString()).toList();
    }
}
