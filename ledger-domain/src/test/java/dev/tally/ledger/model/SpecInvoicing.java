package dev.tally.ledger.model;

import dev.tally.ledger.api.credit.CreditKind;
import dev.tally.ledger.api.invoice.InvoiceIds;
import dev.tally.ledger.api.invoice.LineKind;
import dev.tally.ledger.model.LedgerFigures.LineFigures;
import dev.tally.ledger.model.LedgerFigures.Outcome;
import dev.tally.ledger.model.Scenario.ClosePeriod;
import dev.tally.ledger.model.Scenario.VoidInvoice;
import dev.tally.ledger.model.SpecCredits.CreditGrant;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Spec section 5 as the project reads it, computed from what the calculator recorded per period:
 *
 * <ul>
 * <li>Periods close in order, each once it has ended. An invoice bills its period's usage (a line
 * per meter), the late usage of earlier, already invoiced periods (a line per meter and period),
 * the charges of all of those, and a minimum-commitment true-up when the rounded usage lines of
 * its own period fall short of the rounded minimum. Lines are listed period by period, meters
 * by name, then charges, then the true-up.</li>
 * <li>U is the exact uncovered amount of everything billed. Grants usable at the issue instant
 * that took effect before the period ended fund max(U, 0) + true-up in drawdown order;
 * R = U + true-up − drawn, C = net credit of everything billed + drawn.</li>
 * <li>R = 0: creditsApplied = subtotal, total 0. R &gt; 0: creditsApplied = min(round(C), subtotal),
 * total = subtotal − creditsApplied. R &lt; 0: total 0, creditsApplied = min(round(C), subtotal)
 * but not below 0, and round(−R) becomes a prepaid grant.</li>
 * <li>Late usage of a period whose invoice billed a true-up T (not voided since) is first set
 * against it: with L the period's late accruals so far, min(L, T) of them the true-up has paid,
 * and a late event covers the change it makes to that. Its invoice line stays whole and is followed
 * by a minimum-credit line taking the covered part off; the covered part moves from fee revenue to
 * the meter's usage revenue, and only the rest is funded.</li>
 * <li>Voiding writes off what is unpaid; only an invoice that still owes something can be voided.
 * With restoreCredits, the credit it still consumes goes back per grant (to grants still live
 * and not past expiresAt; forfeited for the others): what issue-time funding drew, and what of
 * the draws it billed no later negative amount has restored. The revenue a void reverses is
 * the lines' in line order, positive ones only, a minimum-credit line counted with the late line
 * it follows (the true-up of an earlier invoice paid that part).</li>
 * </ul>
 *
 * <p>Readings where those rules are silent: a negative amount for an invoiced period still
 * restores that period's earlier draws (spec section 4), and the restoration lowers the credit
 * of the invoice that bills the negative amount; issue-time draws are never restored by a
 * negative amount; and once a void has given back what the invoice's draws held, those draws
 * cannot be restored again (other draws of the same periods, such as late ones, still can). What
 * late usage covered before its period's invoice was voided stays covered; after the void nothing
 * is.
 */
final class SpecInvoicing {

    /** The scenarios bill in USD. */
    static final int MINOR_UNITS = 2;
    static final int CARRIED_FORWARD_PRIORITY = 100;

    private final Scenario scenario;
    private final Instant firstPeriod;
    private final SpecCredits credits;
    private final SpecCash cash;
    private final SpecJournal journal;
    private final RuleCoverage coverage;
    /** Per period start, what no invoice has billed yet. */
    private final TreeMap<Instant, Unbilled> unbilled = new TreeMap<>();
    private final Set<Instant> invoicedPeriods = new HashSet<>();
    /** In issue order, which is period order. */
    private final Map<String, SpecInvoice> invoices = new LinkedHashMap<>();
    /** Per invoiced period, the sum of its late accruals so far. */
    private final Map<Instant, BigDecimal> lateAccruals = new HashMap<>();

    SpecInvoicing(Scenario scenario, Instant billingStart, SpecCredits credits, SpecCash cash, SpecJournal journal,
                  RuleCoverage coverage) {
        if (!scenario.currency().equals("USD")) {
            throw new IllegalArgumentException("the calculator rounds to cents; it models USD only");
        }
        this.scenario = scenario;
        this.firstPeriod = SpecCalculator.periodStartOf(billingStart, scenario.billingAnchorDay());
        this.credits = credits;
        this.cash = cash;
        this.journal = journal;
        this.coverage = coverage;
    }

    static BigDecimal rounded(BigDecimal exact) {
        return exact.setScale(MINOR_UNITS, RoundingMode.HALF_UP);
    }

    Unbilled unbilledIn(Instant period) {
        return unbilled.computeIfAbsent(period, start -> new Unbilled());
    }

    boolean isInvoiced(Instant period) {
        return invoicedPeriods.contains(period);
    }

    Collection<SpecInvoice> invoices() {
        return invoices.values();
    }

    SpecInvoice invoice(String invoiceId) {
        return invoices.get(invoiceId);
    }

    /** Σ uncovered of what no invoice has billed yet: the balance's {@code unbilled}. */
    BigDecimal unbilledUncovered() {
        return unbilled.values().stream().map(items -> items.uncovered).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Σ (total − paid) over invoices not voided. */
    BigDecimal invoicedOutstanding() {
        return invoices.values().stream().map(SpecInvoice::due).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** The part of a late {@code accrual} of {@code period} that the true-up billed on its invoice has paid. */
    BigDecimal coverLateUsage(Instant period, BigDecimal accrual) {
        SpecInvoice invoice = invoices.get(InvoiceIds.of(scenario.accountId(), period));
        BigDecimal trueUp = invoice.voided ? BigDecimal.ZERO : invoice.trueUp;
        BigDecimal before = lateAccruals.getOrDefault(period, BigDecimal.ZERO);
        BigDecimal after = before.add(accrual);
        lateAccruals.put(period, after);
        if (trueUp.signum() == 0) {
            coverage.count(invoice.voided ? "late usage of a voided period" : "late usage of a period without true-up");
            return BigDecimal.ZERO;
        }
        // What of the true-up late usage has used up so far is min(L, T).
        BigDecimal covered = after.min(trueUp).subtract(before.min(trueUp));
        coverage.count(covered.signum() == 0 ? "late usage past the true-up"
                : covered.compareTo(accrual) == 0 ? "late usage covered whole by the true-up"
                : "late usage covered in part by the true-up");
        return covered;
    }

    Outcome close(ClosePeriod command) {
        Instant start = command.periodStart();
        if (!SpecCalculator.periodStartOf(start, scenario.billingAnchorDay()).equals(start)
                || start.isBefore(firstPeriod)) {
            return Outcome.REJECTED;
        }
        if (invoicedPeriods.contains(start)) {
            return Outcome.DUPLICATE;
        }
        Instant end = SpecCalculator.periodEndOf(start);
        if (command.now().isBefore(end)) {
            coverage.count("close refused: the period has not ended");
            return Outcome.REJECTED;
        }
        Instant previous = SpecCalculator.periodStartOf(start.minusSeconds(1), scenario.billingAnchorDay());
        if (start.isAfter(firstPeriod) && !invoicedPeriods.contains(previous)) {
            coverage.count("close refused: an earlier period is open");
            return Outcome.REJECTED;
        }
        issue(start, end, command.now());
        return Outcome.ACCEPTED;
    }

    private void issue(Instant start, Instant end, Instant now) {
        String invoiceId = InvoiceIds.of(scenario.accountId(), start);
        NavigableMap<Instant, Unbilled> billed = unbilled.headMap(start, true);
        List<LineFigures> lines = new ArrayList<>();
        BigDecimal ownUsage = BigDecimal.ZERO;
        BigDecimal uncovered = BigDecimal.ZERO;
        Map<String, BigDecimal> creditConsumed = new TreeMap<>();
        for (Map.Entry<Instant, Unbilled> period : billed.entrySet()) {
            boolean late = period.getKey().isBefore(start);
            for (Map.Entry<String, BigDecimal> meter : period.getValue().meters.entrySet()) {
                BigDecimal exact = meter.getValue();
                lines.add(new LineFigures(late ? LineKind.LATE_USAGE : LineKind.USAGE, meter.getKey(),
                        period.getKey(), null, exact, rounded(exact)));
                BigDecimal covered = period.getValue().covered.getOrDefault(meter.getKey(), BigDecimal.ZERO);
                if (late && covered.signum() != 0) {
                    lines.add(new LineFigures(LineKind.MINIMUM_CREDIT, meter.getKey(), period.getKey(), null,
                            covered.negate(), rounded(covered.negate())));
                    coverage.count("minimum credit line");
                }
                if (late) {
                    coverage.count("late usage line");
                } else {
                    ownUsage = ownUsage.add(rounded(exact));
                }
            }
            uncovered = uncovered.add(period.getValue().uncovered);
            period.getValue().creditByGrant.forEach((grant, amount) -> creditConsumed.merge(grant, amount, BigDecimal::add));
        }
        for (Map.Entry<Instant, Unbilled> period : billed.entrySet()) {
            for (ChargeItem charge : period.getValue().charges) {
                lines.add(new LineFigures(LineKind.CHARGE, null, period.getKey(), charge.chargeId(), charge.amount(),
                        rounded(charge.amount())));
            }
        }
        BigDecimal trueUp = BigDecimal.ZERO;
        if (scenario.minimumCommitment() != null && ownUsage.compareTo(rounded(scenario.minimumCommitment())) < 0) {
            trueUp = rounded(scenario.minimumCommitment()).subtract(ownUsage);
            lines.add(new LineFigures(LineKind.MINIMUM, null, start, null, trueUp, trueUp));
            coverage.count("minimum commitment true-up");
        }
        BigDecimal subtotal = lines.stream().map(LineFigures::amount).reduce(BigDecimal.ZERO, BigDecimal::add);

        Map<String, BigDecimal> drawnAtIssue = credits.draw(uncovered.max(BigDecimal.ZERO).add(trueUp),
                grant -> grant.isInWindowAt(now) && grant.effectiveAt.isBefore(end), null);
        drawnAtIssue.forEach((grant, amount) -> creditConsumed.merge(grant, amount, BigDecimal::add));
        BigDecimal drawn = sum(drawnAtIssue.values());
        BigDecimal left = uncovered.add(trueUp).subtract(drawn);
        BigDecimal creditFunding = sum(creditConsumed.values());
        if (drawn.signum() > 0) {
            coverage.count("grants funded at issue");
        }

        BigDecimal creditsApplied;
        BigDecimal total;
        BigDecimal carriedForward = BigDecimal.ZERO;
        if (left.signum() == 0) {
            creditsApplied = subtotal;
            total = BigDecimal.ZERO;
            coverage.count("invoice with nothing left uncovered");
        } else if (left.signum() > 0) {
            creditsApplied = rounded(creditFunding).min(subtotal);
            total = subtotal.subtract(creditsApplied);
            coverage.count(total.signum() > 0 ? "invoice with a total to pay" : "invoice left owing less than half a cent");
        } else {
            creditsApplied = rounded(creditFunding).min(subtotal).max(BigDecimal.ZERO);
            total = BigDecimal.ZERO;
            carriedForward = rounded(left.negate());
            coverage.count("invoice with a negative balance");
        }
        BigDecimal rounding = total.subtract(left).subtract(carriedForward);
        String receivable = "receivable:" + scenario.accountId();
        journal.debit("credits:" + scenario.accountId(), drawn);
        journal.debit(receivable, trueUp.subtract(drawn).add(rounding));
        journal.credit("revenue:fees", trueUp);
        journal.credit("rounding", rounding);
        if (carriedForward.signum() > 0) {
            credits.add(invoiceId + "-carried-forward", null, carriedForward, CreditKind.PREPAID, now, null,
                    CARRIED_FORWARD_PRIORITY);
            journal.debit(receivable, carriedForward);
            journal.credit("credits:" + scenario.accountId(), carriedForward);
            coverage.count("credit carried forward");
        }

        SpecInvoice invoice = new SpecInvoice(invoiceId, start, lines, subtotal, creditsApplied, total, drawn,
                carriedForward, drawnAtIssue);
        invoices.put(invoiceId, invoice);
        List<Instant> billedPeriods = new ArrayList<>(billed.keySet());
        billedPeriods.add(start);
        credits.bill(billedPeriods, invoiceId);
        billed.clear();
        invoicedPeriods.add(start);
        cash.settleAtIssue(invoice);
    }

    Outcome voidInvoice(VoidInvoice command) {
        SpecInvoice invoice = invoices.get(command.invoiceId());
        if (invoice == null) {
            return Outcome.REJECTED;
        }
        if (invoice.voided) {
            return Outcome.DUPLICATE;
        }
        BigDecimal writtenOff = invoice.due();
        if (writtenOff.signum() <= 0) {
            coverage.count("void refused: the invoice is paid");
            return Outcome.REJECTED;
        }
        invoice.voided = true;
        coverage.count(invoice.paid.signum() > 0 ? "void of a partly paid invoice" : "void of an unpaid invoice");
        journal.credit("receivable:" + scenario.accountId(), writtenOff);
        BigDecimal reversed = writtenOff;
        if (command.restoreCredits()) {
            Map<String, BigDecimal> consumed = new TreeMap<>(invoice.drawnAtIssueByGrant);
            credits.stillDrawnBy(invoice.invoiceId).forEach((grant, amount) -> consumed.merge(grant, amount, BigDecimal::add));
            for (Map.Entry<String, BigDecimal> credit : consumed.entrySet()) {
                if (credit.getValue().signum() > 0) {
                    giveBack(credits.grant(credit.getKey()), credit.getValue(), command.now());
                    reversed = reversed.add(credit.getValue());
                }
            }
            credits.settleDrawsReturnedByVoid(invoice.invoiceId);
        }
        reverseRevenue(invoice, reversed);
        return Outcome.ACCEPTED;
    }

    /** Credit a void gives back: to a grant still live and before its expiresAt, else forfeited again at once. */
    private void giveBack(CreditGrant grant, BigDecimal amount, Instant now) {
        boolean gone = !grant.isLive() || (grant.expiresAt != null && !now.isBefore(grant.expiresAt));
        if (gone) {
            journal.credit(grant.kind == CreditKind.PREPAID ? "breakage" : "promotions", amount);
            coverage.count("void forfeited the credit it gave back");
        } else {
            grant.remaining = grant.remaining.add(amount);
            journal.credit("credits:" + scenario.accountId(), amount);
            coverage.count("void gave credit back");
        }
    }

    /**
     * A credit note reverses revenue line by line in line order, positive lines only, a minimum credit
     * taken off the late line before it; fees take any rest.
     */
    private void reverseRevenue(SpecInvoice invoice, BigDecimal amount) {
        List<LineFigures> billed = new ArrayList<>();
        for (LineFigures line : invoice.lines) {
            if (line.kind() == LineKind.MINIMUM_CREDIT) {
                LineFigures late = billed.remove(billed.size() - 1);
                billed.add(new LineFigures(late.kind(), late.meter(), late.periodStart(), null,
                        late.exactAmount().add(line.exactAmount()), late.amount().add(line.amount())));
            } else {
                billed.add(line);
            }
        }
        BigDecimal left = amount;
        for (LineFigures line : billed) {
            if (left.signum() > 0 && line.amount().signum() > 0) {
                BigDecimal part = left.min(line.amount());
                journal.debit(line.meter() == null ? "revenue:fees" : "revenue:usage:" + line.meter(), part);
                left = left.subtract(part);
            }
        }
        if (left.signum() > 0) {
            journal.debit("revenue:fees", left);
        }
    }

    private static BigDecimal sum(Collection<BigDecimal> amounts) {
        return amounts.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** What one period holds that no invoice has billed yet. */
    static final class Unbilled {
        /** Exact accruals per meter, sorted by meter name, the order of an invoice's lines. */
        final TreeMap<String, BigDecimal> meters = new TreeMap<>();
        /** Per meter, what of its late accruals the period's true-up paid. */
        final Map<String, BigDecimal> covered = new TreeMap<>();
        /** In the order recorded. */
        final List<ChargeItem> charges = new ArrayList<>();
        /** Per grant, drawn minus restored. */
        final Map<String, BigDecimal> creditByGrant = new TreeMap<>();
        BigDecimal uncovered = BigDecimal.ZERO;

        void addUsage(String meter, BigDecimal accrual, BigDecimal coveredByTrueUp) {
            meters.merge(meter, accrual, BigDecimal::add);
            covered.merge(meter, coveredByTrueUp, BigDecimal::add);
        }

        void addCharge(String chargeId, BigDecimal amount) {
            charges.add(new ChargeItem(chargeId, amount));
        }

        void addFunding(Map<String, BigDecimal> netCreditByGrant, BigDecimal uncoveredChange) {
            netCreditByGrant.forEach((grant, amount) -> creditByGrant.merge(grant, amount, BigDecimal::add));
            uncovered = uncovered.add(uncoveredChange);
        }
    }

    record ChargeItem(String chargeId, BigDecimal amount) {
    }
}
