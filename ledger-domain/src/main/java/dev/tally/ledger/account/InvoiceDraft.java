package dev.tally.ledger.account;

import static dev.tally.ledger.api.journal.LedgerAccounts.REVENUE_FEES;
import static dev.tally.ledger.api.journal.LedgerAccounts.usageRevenue;

import dev.tally.ledger.api.charge.ChargeRecorded;
import dev.tally.ledger.api.credit.Funding;
import dev.tally.ledger.api.invoice.InvoiceLine;
import dev.tally.ledger.api.invoice.LineKind;
import dev.tally.ledger.api.money.Money;
import dev.tally.ledger.api.plan.MeterPrice;
import dev.tally.ledger.api.plan.PlanPublished;
import dev.tally.ledger.calendar.BillingCalendar;
import dev.tally.ledger.calendar.BillingPeriod;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The lines and figures of an invoice by spec section 5, computed from what the billed periods
 * hold. Pure: it decides, the aggregate records.
 *
 * <p>The three rules for {@code creditsApplied} and {@code total}, with R the exact amount left
 * uncovered after issue-time funding and C the exact credit funding of everything billed (net of
 * restorations, including issue-time draws): R = 0 gives creditsApplied = subtotal and total 0;
 * R &gt; 0 gives creditsApplied = min(round(C), subtotal) and total = subtotal − creditsApplied;
 * R &lt; 0 gives total 0, creditsApplied = min(round(C), subtotal) but not below 0, and round(−R)
 * carried forward as a prepaid grant.
 */
final class InvoiceDraft {

    /** The decided figures; {@code issueFunding} still has to be applied to the grants. */
    record Figures(List<InvoiceLine> lines, Money subtotal, Money creditsApplied, Money total, Money billedUncovered,
                   Funding issueFunding, Money rounding, Money carriedForward) {
    }

    /**
     * What a usage line states besides its amount: the price of each version of the account's plan,
     * and each period's cumulative quantity per meter.
     */
    record Pricing(Map<Integer, PlanPublished> planVersions, Map<Instant, Map<String, BigDecimal>> quantities) {

        MeterPrice priceOf(int planVersion, String meter) {
            PlanPublished version = planVersions.get(planVersion);
            return version == null ? null : version.priceOf(meter).orElse(null);
        }

        BigDecimal cumulativeQuantity(Instant periodStart, String meter) {
            return quantities.getOrDefault(periodStart, Map.of()).get(meter);
        }
    }

    private final String currency;
    private final BillingCalendar calendar;
    private final BillingPeriod period;

    InvoiceDraft(String currency, BillingCalendar calendar, BillingPeriod period) {
        this.currency = currency;
        this.calendar = calendar;
        this.period = period;
    }

    Figures figures(Map<Instant, UnbilledPeriod> billed, Money minimumCommitment, CreditPool credits, Pricing pricing,
                    Instant now) {
        List<InvoiceLine> lines = new ArrayList<>();
        Money usageSubtotal = Money.zero(currency);
        Map<String, BigDecimal> creditUsed = new java.util.TreeMap<>();
        Money uncovered = Money.zero(currency);
        for (Map.Entry<Instant, UnbilledPeriod> entry : billed.entrySet()) {
            boolean late = entry.getKey().isBefore(period.start());
            for (Map.Entry<String, MeterUsage> meter : entry.getValue().meters().entrySet()) {
                InvoiceLine line = usageLine(entry.getKey(), meter.getKey(), meter.getValue(), late, pricing);
                lines.add(line);
                if (!late) {
                    usageSubtotal = usageSubtotal.plus(line.amount());
                } else if (meter.getValue().covered().signum() != 0) {
                    lines.add(minimumCreditLine(entry.getKey(), meter.getKey(), meter.getValue()));
                }
            }
            entry.getValue().creditUsed().forEach((grant, amount) -> creditUsed.merge(grant, amount, BigDecimal::add));
            uncovered = uncovered.plus(money(credits.uncovered(entry.getKey())));
        }
        for (Map.Entry<Instant, UnbilledPeriod> entry : billed.entrySet()) {
            for (ChargeRecorded charge : entry.getValue().charges()) {
                lines.add(chargeLine(entry.getKey(), charge));
            }
        }
        Money trueUp = Money.zero(currency);
        if (minimumCommitment != null && usageSubtotal.compareTo(minimumCommitment.roundedToMinorUnit()) < 0) {
            trueUp = minimumCommitment.roundedToMinorUnit().minus(usageSubtotal);
            lines.add(new InvoiceLine(LineKind.MINIMUM, null, period.start(), null, null, null,
                    "Minimum commitment true-up (minimum " + minimumCommitment.roundedToMinorUnit().amount().toPlainString()
                            + ")", trueUp, trueUp, REVENUE_FEES, null, null));
        }
        Money subtotal = lines.stream().map(InvoiceLine::amount).reduce(Money.zero(currency), Money::plus);

        Funding issueFunding = credits.fundAtIssue(uncovered.max(Money.zero(currency)).plus(trueUp).amount(), now,
                period.end());
        issueFunding.drawn().forEach(drawn -> creditUsed.merge(drawn.grantId(), drawn.amount().amount(), BigDecimal::add));
        Money remaining = uncovered.plus(trueUp).minus(issueFunding.totalDrawn());
        Money creditFunding = money(creditUsed.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add));

        Money creditsApplied;
        Money total;
        Money carriedForward = Money.zero(currency);
        if (remaining.isZero()) {
            creditsApplied = subtotal;
            total = Money.zero(currency);
        } else if (remaining.isPositive()) {
            creditsApplied = creditFunding.roundedToMinorUnit().min(subtotal);
            total = subtotal.minus(creditsApplied);
        } else {
            creditsApplied = creditFunding.roundedToMinorUnit().min(subtotal).max(Money.zero(currency));
            total = Money.zero(currency);
            carriedForward = remaining.negate().roundedToMinorUnit();
        }
        Money rounding = total.minus(remaining).minus(carriedForward);
        return new Figures(lines, subtotal, creditsApplied, total, uncovered, issueFunding, rounding, carriedForward);
    }

    private InvoiceLine usageLine(Instant periodStart, String meter, MeterUsage usage, boolean late, Pricing pricing) {
        Money exact = money(usage.amount());
        String description = late
                ? meter + " usage for " + label(calendar.periodContaining(periodStart)) + " received after invoicing"
                : meter + " usage";
        return new InvoiceLine(late ? LineKind.LATE_USAGE : LineKind.USAGE, meter, periodStart, usage.quantity(),
                usage.planVersion(), null, description, exact.roundedToMinorUnit(), exact, usageRevenue(meter),
                pricing.priceOf(usage.planVersion(), meter), pricing.cumulativeQuantity(periodStart, meter));
    }

    /**
     * Takes off a late usage line the part its period's minimum true-up already paid, so that the
     * late line itself shows the usage at its full amount.
     */
    private InvoiceLine minimumCreditLine(Instant periodStart, String meter, MeterUsage usage) {
        Money exact = money(usage.covered().negate());
        String description = "covered by the minimum commitment of " + label(calendar.periodContaining(periodStart));
        return new InvoiceLine(LineKind.MINIMUM_CREDIT, meter, periodStart, null, null, null, description,
                exact.roundedToMinorUnit(), exact, usageRevenue(meter), null, null);
    }

    private InvoiceLine chargeLine(Instant periodStart, ChargeRecorded charge) {
        String kind = charge.amount().isNegative() ? "Adjustment " : "Charge ";
        String description = charge.description() == null || charge.description().isBlank()
                ? kind + charge.chargeId() : charge.description();
        return new InvoiceLine(LineKind.CHARGE, null, periodStart, null, null, charge.chargeId(), description,
                charge.amount().roundedToMinorUnit(), charge.amount(), REVENUE_FEES, null, null);
    }

    /** "2026-02-01 to 2026-02-28": a period by its first and last day. */
    static String label(BillingPeriod period) {
        LocalDate first = LocalDate.ofInstant(period.start(), ZoneOffset.UTC);
        LocalDate last = LocalDate.ofInstant(period.end(), ZoneOffset.UTC).minusDays(1);
        return first + " to " + last;
    }

    private Money money(BigDecimal amount) {
        return new Money(currency, amount);
    }
}
