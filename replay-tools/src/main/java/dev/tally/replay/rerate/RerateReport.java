package dev.tally.replay.rerate;

import dev.tally.ledger.api.invoice.InvoiceIssued;
import dev.tally.ledger.api.invoice.LineKind;
import dev.tally.ledger.api.money.Money;
import java.util.List;

/**
 * What rerate found: the real invoice for the period and the re-run's under the chosen plan, their
 * lines paired, and notes on every command of the re-run the domain did not accept as the ledger had
 * (usage the chosen plan cannot price, for one).
 */
record RerateReport(String accountPlanId, PlanSpec chosenPlan, InvoiceIssued real, InvoiceIssued rerated,
                    List<LineComparison> lines, List<String> notes) {

    RerateReport {
        lines = List.copyOf(lines);
        notes = List.copyOf(notes);
    }

    static RerateReport of(String accountPlanId, PlanSpec chosenPlan, InvoiceIssued real, InvoiceIssued rerated,
                           List<String> notes) {
        return new RerateReport(accountPlanId, chosenPlan, real, rerated,
                LineComparison.pair(real.lines(), rerated.lines()), notes);
    }

    /** The plan whose version a rerated line names: the chosen plan priced the period's own usage. */
    String reratedPlanOf(LineKind kind) {
        return kind == LineKind.USAGE ? chosenPlan.planId() : accountPlanId;
    }

    Money subtotalDifference() {
        return rerated.subtotal().minus(real.subtotal());
    }

    Money creditsAppliedDifference() {
        return rerated.creditsApplied().minus(real.creditsApplied());
    }

    Money totalDifference() {
        return rerated.total().minus(real.total());
    }

    /** Every line and figure of the rerated invoice equals the real one's, exact amounts included. */
    boolean reproducesRealInvoice() {
        return notes.isEmpty() && lines.stream().allMatch(LineComparison::isUnchanged)
                && real.lines().size() == rerated.lines().size()
                && real.subtotal().equals(rerated.subtotal()) && real.creditsApplied().equals(rerated.creditsApplied())
                && real.total().equals(rerated.total())
                && real.creditCarriedForward().equals(rerated.creditCarriedForward());
    }
}
