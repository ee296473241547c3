package dev.tally.ledger.model;

import dev.tally.ledger.api.credit.CreditKind;
import dev.tally.ledger.api.plan.MeterPrice;
import dev.tally.ledger.api.plan.Tier;
import dev.tally.ledger.model.LedgerFigures.InvoiceFigures;
import dev.tally.ledger.model.LedgerFigures.MeterPeriod;
import dev.tally.ledger.model.LedgerFigures.Outcome;
import dev.tally.ledger.model.LedgerFigures.StepOutcome;
import dev.tally.ledger.model.Scenario.Charge;
import dev.tally.ledger.model.Scenario.ClosePeriod;
import dev.tally.ledger.model.Scenario.ExpireGrant;
import dev.tally.ledger.model.Scenario.Grant;
import dev.tally.ledger.model.Scenario.Payment;
import dev.tally.ledger.model.Scenario.Refund;
import dev.tally.ledger.model.Scenario.Step;
import dev.tally.ledger.model.Scenario.UsageBatch;
import dev.tally.ledger.model.Scenario.UsageItem;
import dev.tally.ledger.model.Scenario.VoidGrant;
import dev.tally.ledger.model.Scenario.VoidInvoice;
import dev.tally.ledger.model.SpecCredits.CreditGrant;
import dev.tally.ledger.model.SpecInvoicing.Unbilled;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An independent model of one account, written from LEDGER-SPEC.md sections 2-8 alone: it
 * shares no rating, drawdown, invoicing or journal code with the ledger, only the scenario's
 * data, so that a figure on which both agree was reached twice by different routes. Invoices
 * ({@link SpecInvoicing}) and payments ({@link SpecCash}) follow the project's reading of
 * sections 5 and 6, written down there.
 *
 * <p>Readings of the spec where it is not explicit, chosen as a billing engineer would:
 * a negative manual charge (an adjustment) undoes funding exactly as a negative accrual does;
 * the uncovered amount a negative amount reduces first is what its period holds unbilled (an
 * issued invoice never changes); a grant "expired" is one whose {@code CreditExpired} was
 * recorded (until then its expiresAt only limits which usage it may fund); "the older grant" is
 * the one granted first; a grant whose expiresAt is not after its effectiveAt is rejected; a
 * refund is the reverse posting of a payment (Dr receivable / Cr cash). Billing anchor days are
 * limited to 1-28 by the generator, because the spec does not say where an anchor past a short
 * month's end falls.
 *
 * <p>The calculator also runs step by step while a scenario is generated, so that the
 * generator can aim payments, refunds and voids at what is actually owed.
 */
final class SpecCalculator {

    static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);
    static final Duration BACKFILL_WINDOW = Duration.ofDays(90);
    static final int DEFAULT_PRIORITY = 100;

    private final Scenario scenario;
    private final Instant billingStart;
    private final Map<String, MeterPrice> pricesByMeter = new HashMap<>();
    private final List<StepOutcome> outcomes = new ArrayList<>();

    private final Map<String, UsageItem> acceptedUsage = new HashMap<>();
    private final Map<MeterPeriod, BigDecimal> quantities = new HashMap<>();
    private final Map<MeterPeriod, BigDecimal> accruals = new HashMap<>();
    /** Every uncovered change of a period, billed or not. */
    private final Map<Instant, BigDecimal> uncoveredByPeriod = new TreeMap<>();
    private final Map<String, Charge> charges = new HashMap<>();

    private final RuleCoverage coverage = new RuleCoverage();
    private final SpecJournal journal = new SpecJournal();
    private final SpecCredits credits = new SpecCredits(coverage);
    private final SpecCash cash;
    private final SpecInvoicing invoicing;

    /** A calculator for the scenario's account and plan; its steps are ignored until {@link #take taken}. */
    SpecCalculator(Scenario scenario) {
        this.scenario = scenario;
        for (MeterPrice price : scenario.prices()) {
            pricesByMeter.put(price.meter(), price);
        }
        this.billingStart = scenario.billingStart() != null ? scenario.billingStart()
                : periodStartOf(scenario.openedAt(), scenario.billingAnchorDay());
        this.cash = new SpecCash(scenario.accountId(), journal, coverage);
        this.invoicing = new SpecInvoicing(scenario, billingStart, credits, cash, journal, coverage);
    }

    static LedgerFigures calculate(Scenario scenario) {
        SpecCalculator calculator = new SpecCalculator(scenario);
        for (Step step : scenario.steps()) {
            calculator.take(step);
        }
        return calculator.figures();
    }

    // ---- calendar and prices (spec section 2) ---------------------------------------------

    /** The start of the monthly period, anchored at 00:00 UTC on {@code anchorDay} (1-28), containing {@code instant}. */
    static Instant periodStartOf(Instant instant, int anchorDay) {
        if (anchorDay < 1 || anchorDay > 28) {
            throw new IllegalArgumentException("the calculator models anchor days 1-28 only: " + anchorDay);
        }
        LocalDateTime utc = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        LocalDateTime anchorThisMonth = LocalDate.of(utc.getYear(), utc.getMonth(), anchorDay).atStartOfDay();
        LocalDateTime start = utc.isBefore(anchorThisMonth) ? anchorThisMonth.minusMonths(1) : anchorThisMonth;
        return start.toInstant(ZoneOffset.UTC);
    }

    /** The end of the monthly period starting at {@code periodStart}: the same anchor day a month later. */
    static Instant periodEndOf(Instant periodStart) {
        return LocalDateTime.ofInstant(periodStart, ZoneOffset.UTC).plusMonths(1).toInstant(ZoneOffset.UTC);
    }

    /** f(Q) of the spec's table. */
    static BigDecimal priceOf(MeterPrice price, BigDecimal q) {
        return switch (price.model()) {
            case PER_UNIT -> q.multiply(price.unitPrice());
            case GRADUATED -> {
                BigDecimal sum = BigDecimal.ZERO;
                List<Tier> tiers = price.tiers();
                for (int i = 0; i < tiers.size(); i++) {
                    BigDecimal lowerBound = i == 0 ? BigDecimal.ZERO : tiers.get(i - 1).upTo();
                    Tier tier = tiers.get(i);
                    boolean entered = q.compareTo(lowerBound) > 0;
                    if (entered) {
                        BigDecimal top = tier.upTo() == null || q.compareTo(tier.upTo()) < 0 ? q : tier.upTo();
                        BigDecimal unitsInside = top.subtract(lowerBound);
                        sum = sum.add(unitsInside.multiply(tier.unitPrice()));
                        sum = sum.add(tier.flatFee() == null ? BigDecimal.ZERO : tier.flatFee());
                    }
                }
                yield sum;
            }
            case VOLUME -> {
                if (q.signum() == 0) {
                    yield BigDecimal.ZERO;
                }
                Tier applicable = null;
                for (Tier tier : price.tiers()) {
                    if (tier.upTo() == null || tier.upTo().compareTo(q) >= 0) {
                        applicable = tier;
                        break;
                    }
                }
                Objects.requireNonNull(applicable, "the last tier is unbounded");
                yield q.multiply(applicable.unitPrice())
                        .add(applicable.flatFee() == null ? BigDecimal.ZERO : applicable.flatFee());
            }
            case PACKAGE -> {
                BigDecimal[] wholeAndRest = q.divideAndRemainder(price.packageSize());
                BigDecimal packages = wholeAndRest[0].add(wholeAndRest[1].signum() > 0 ? BigDecimal.ONE : BigDecimal.ZERO);
                yield packages.multiply(price.packagePrice());
            }
        };
    }

    // ---- steps -----------------------------------------------------------------------------

    void take(Step step) {
        if (step instanceof UsageBatch batch) {
            for (UsageItem item : batch.items()) {
                outcomes.add(new StepOutcome("usage " + item.idempotencyKey(), usage(item, batch.now()), true));
            }
        } else if (step instanceof Grant grant) {
            outcomes.add(new StepOutcome("grant " + grant.grantId(), grant(grant), true));
        } else if (step instanceof VoidGrant voidGrant) {
            outcomes.add(new StepOutcome("void " + voidGrant.grantId(), forfeit(voidGrant.grantId(), null), false));
        } else if (step instanceof ExpireGrant expire) {
            outcomes.add(new StepOutcome("expire " + expire.grantId(), forfeit(expire.grantId(), expire.now()), false));
        } else if (step instanceof Charge charge) {
            outcomes.add(new StepOutcome("charge " + charge.chargeId(), charge(charge), true));
        } else if (step instanceof Payment payment) {
            outcomes.add(new StepOutcome("payment " + payment.paymentId(), cash.payment(payment, invoicing.invoices()),
                    true));
        } else if (step instanceof Refund refund) {
            outcomes.add(new StepOutcome("refund " + refund.refundId(), cash.refund(refund), true));
        } else if (step instanceof ClosePeriod close) {
            outcomes.add(new StepOutcome("close " + close.periodStart(), invoicing.close(close), true));
        } else if (step instanceof VoidInvoice voidInvoice) {
            outcomes.add(new StepOutcome("void invoice " + voidInvoice.invoiceId(), invoicing.voidInvoice(voidInvoice),
                    true));
        } else {
            throw new IllegalArgumentException("unknown step " + step);
        }
    }

    /** Spec sections 2 and 3: validate, then rate cumulatively within the usage's period. */
    private Outcome usage(UsageItem item, Instant now) {
        UsageItem earlier = acceptedUsage.get(item.idempotencyKey());
        if (earlier != null) {
            boolean sameContent = earlier.meter().equals(item.meter())
                    && earlier.quantity().compareTo(item.quantity()) == 0
                    && earlier.timestamp().equals(item.timestamp());
            return sameContent ? Outcome.DUPLICATE : Outcome.REJECTED;
        }
        MeterPrice price = pricesByMeter.get(item.meter());
        Instant timestamp = item.timestamp();
        if (price == null || item.quantity().signum() < 0
                || timestamp.isAfter(now.plus(FUTURE_TOLERANCE))
                || timestamp.isBefore(now.minus(BACKFILL_WINDOW))
                || timestamp.isBefore(billingStart)
                || timestamp.isBefore(scenario.planEffectiveFrom())) {
            return Outcome.REJECTED;
        }
        acceptedUsage.put(item.idempotencyKey(), item);
        Instant period = periodStartOf(timestamp, scenario.billingAnchorDay());
        if (invoicing.isInvoiced(period)) {
            coverage.count("late usage");
        }
        MeterPeriod key = new MeterPeriod(period, item.meter());
        BigDecimal before = quantities.getOrDefault(key, BigDecimal.ZERO);
        BigDecimal after = before.add(item.quantity());
        BigDecimal accrual = priceOf(price, after).subtract(priceOf(price, before));
        quantities.put(key, after);
        accruals.merge(key, accrual, BigDecimal::add);
        Unbilled unbilled = invoicing.unbilledIn(period);
        // Spec section 5, late usage and the minimum: what the period's true-up paid is not funded again.
        BigDecimal covered = invoicing.isInvoiced(period) ? invoicing.coverLateUsage(period, accrual) : BigDecimal.ZERO;
        unbilled.addUsage(item.meter(), accrual, covered);
        String usageRevenue = "revenue:usage:" + item.meter();
        fundAndPost(accrual.subtract(covered), timestamp, period, unbilled, usageRevenue);
        // The covered part was earned as fees by the true-up; it is usage revenue now.
        journal.debit("revenue:fees", covered);
        journal.credit(usageRevenue, covered);
        return Outcome.ACCEPTED;
    }

    /** Spec section 4: grants. */
    private Outcome grant(Grant command) {
        CreditGrant existing = credits.grant(command.grantId());
        if (existing != null) {
            Grant first = existing.command;
            boolean sameContent = first != null && first.amount().compareTo(command.amount()) == 0
                    && first.kind() == command.kind()
                    && Objects.equals(first.effectiveAt(), command.effectiveAt())
                    && Objects.equals(first.expiresAt(), command.expiresAt())
                    && Objects.equals(first.priority(), command.priority())
                    && Objects.equals(first.description(), command.description());
            return sameContent ? Outcome.DUPLICATE : Outcome.REJECTED;
        }
        if (command.amount().signum() <= 0) {
            return Outcome.REJECTED;
        }
        Instant effectiveAt = command.effectiveAt() == null ? command.now() : command.effectiveAt();
        if (command.expiresAt() != null && !command.expiresAt().isAfter(effectiveAt)) {
            return Outcome.REJECTED;
        }
        int priority = command.priority() == null ? DEFAULT_PRIORITY : command.priority();
        credits.add(command.grantId(), command, command.amount(), command.kind(), effectiveAt, command.expiresAt(),
                priority);
        String source = command.kind() == CreditKind.PREPAID ? "cash" : "promotions";
        journal.debit(source, command.amount());
        journal.credit("credits:" + scenario.accountId(), command.amount());
        return Outcome.ACCEPTED;
    }

    /** A void ({@code expiryClock} null) or an expiry: the grant's remainder is forfeited. */
    private Outcome forfeit(String grantId, Instant expiryClock) {
        CreditGrant grant = credits.grant(grantId);
        if (grant == null || !grant.isLive()) {
            return Outcome.REJECTED;
        }
        if (expiryClock != null && (grant.expiresAt == null || expiryClock.isBefore(grant.expiresAt))) {
            return Outcome.REJECTED;
        }
        BigDecimal forfeited = grant.remaining;
        coverage.count(expiryClock == null ? "grant voided" : "grant expired");
        grant.remaining = BigDecimal.ZERO;
        if (expiryClock == null) {
            grant.voided = true;
        } else {
            grant.expired = true;
        }
        journal.debit("credits:" + scenario.accountId(), forfeited);
        journal.credit(grant.kind == CreditKind.PREPAID ? "breakage" : "promotions", forfeited);
        return Outcome.ACCEPTED;
    }

    /** Manual charges (positive) and adjustments (negative) are funded like accruals. */
    private Outcome charge(Charge command) {
        Charge existing = charges.get(command.chargeId());
        if (existing != null) {
            boolean sameContent = existing.amount().compareTo(command.amount()) == 0
                    && Objects.equals(existing.description(), command.description())
                    && Objects.equals(existing.timestamp(), command.timestamp());
            return sameContent ? Outcome.DUPLICATE : Outcome.REJECTED;
        }
        Instant timestamp = command.timestamp() == null ? command.now() : command.timestamp();
        if (command.amount().signum() == 0 || timestamp.isBefore(billingStart)
                || timestamp.isAfter(command.now().plus(FUTURE_TOLERANCE))) {
            return Outcome.REJECTED;
        }
        charges.put(command.chargeId(), command);
        Instant period = periodStartOf(timestamp, scenario.billingAnchorDay());
        if (invoicing.isInvoiced(period)) {
            coverage.count("charge for an invoiced period");
        }
        Unbilled unbilled = invoicing.unbilledIn(period);
        unbilled.addCharge(command.chargeId(), command.amount());
        fundAndPost(command.amount(), timestamp, period, unbilled, "revenue:fees");
        return Outcome.ACCEPTED;
    }

    // ---- drawdown (spec section 4) and its postings (spec section 7) ----------------------

    /**
     * Funds a positive amount from grants, or undoes funding for a negative one: first the
     * period's unbilled uncovered amount, then the period's most recent draws, then uncovered
     * below zero. Records the result in the period's unbilled items and posts it.
     */
    private void fundAndPost(BigDecimal amount, Instant timestamp, Instant period, Unbilled unbilled,
                             String revenueAccount) {
        Map<String, BigDecimal> netCreditByGrant = new LinkedHashMap<>();
        BigDecimal uncoveredChange;
        if (amount.signum() >= 0) {
            Map<String, BigDecimal> drawn = credits.draw(amount, grant -> grant.isInWindowAt(timestamp), period);
            BigDecimal covered = sum(drawn.values());
            coverage.count(covered.signum() > 0 ? "amount drawn on credit" : "amount with no credit drawn");
            netCreditByGrant.putAll(drawn);
            uncoveredChange = amount.subtract(covered);
        } else {
            BigDecimal undo = amount.negate();
            BigDecimal fromUncovered = unbilled.uncovered.signum() > 0 ? undo.min(unbilled.uncovered) : BigDecimal.ZERO;
            Map<String, BigDecimal> restored = credits.restore(undo.subtract(fromUncovered), period);
            BigDecimal restoredTotal = sum(restored.values());
            coverage.count(revenueAccount.startsWith("revenue:usage:") ? "negative accrual" : "negative charge");
            coverage.count(fromUncovered.signum() > 0 ? "negative reduced uncovered" : "negative found no uncovered");
            coverage.count(restoredTotal.signum() > 0 ? "negative restored credit" : "negative restored no credit");
            if (undo.compareTo(fromUncovered.add(restoredTotal)) > 0) {
                coverage.count("negative pushed uncovered below zero");
            }
            if (invoicing.isInvoiced(period)) {
                coverage.count("negative amount for an invoiced period");
            }
            restored.forEach((grant, back) -> netCreditByGrant.put(grant, back.negate()));
            uncoveredChange = undo.subtract(restoredTotal).negate();
        }
        unbilled.addFunding(netCreditByGrant, uncoveredChange);
        uncoveredByPeriod.merge(period, uncoveredChange, BigDecimal::add);
        journal.debit("credits:" + scenario.accountId(), sum(netCreditByGrant.values()));
        journal.debit("receivable:" + scenario.accountId(), uncoveredChange);
        journal.credit(revenueAccount, amount);
    }

    private static BigDecimal sum(Collection<BigDecimal> amounts) {
        return amounts.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    // ---- what the generator may ask while a scenario is written ---------------------------

    boolean isInvoiced(Instant periodStart) {
        return invoicing.isInvoiced(periodStart);
    }

    /** Invoices issued so far, in issue order. */
    List<SpecInvoice> invoices() {
        return List.copyOf(invoicing.invoices());
    }

    BigDecimal invoicedOutstanding() {
        return invoicing.invoicedOutstanding();
    }

    BigDecimal refundable(String paymentId) {
        return cash.refundable(paymentId);
    }

    BigDecimal unapplied(String paymentId) {
        return cash.unapplied(paymentId);
    }

    // ---- figures (spec section 8's balance) ------------------------------------------------

    LedgerFigures figures() {
        Map<String, BigDecimal> remaining = new TreeMap<>();
        for (CreditGrant grant : credits.grants()) {
            remaining.put(grant.grantId, grant.remaining);
        }
        List<InvoiceFigures> invoices = invoicing.invoices().stream().map(SpecInvoice::figures).toList();
        BigDecimal unbilled = invoicing.unbilledUncovered();
        BigDecimal invoicedOutstanding = invoicing.invoicedOutstanding();
        BigDecimal unappliedCash = cash.unappliedCash();
        return new LedgerFigures(outcomes, remaining, credits.liveBalance(), Map.copyOf(quantities),
                Map.copyOf(accruals), Map.copyOf(uncoveredByPeriod), invoices, unbilled, invoicedOutstanding,
                unappliedCash, unbilled.add(invoicedOutstanding).subtract(unappliedCash), journal.balances(),
                coverage.counts());
    }
}
