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
        MeterPeriod key = new MeterPeriod(period, item.meter());
        BigDecimal before = quantities.getOrDefault(key, BigDecimal.ZERO);
        BigDecimal after = before.add(item.quantity());
        BigDecimal accrual = priceOf(price, after).subtract(priceOf(price, before));
        quantities.put(key, after);
        accruals.merge(key, accrual, BigDecimal::add);
        fundAndPost(accrual, timestamp, period, "revenue:usage:" + item.meter());
        return Outcome.ACCEPTED;
    }

    /** Spec section 4: grants. */
    private Outcome grant(Grant command) {
        CreditGrant existing = grants.get(command.grantId());
        if (existing != null) {
            Grant first = existing.command;
            boolean sameContent = first.amount().compareTo(command.amount()) == 0 && first.kind() == command.kind()
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
        grants.put(command.grantId(), new CreditGrant(command, effectiveAt, priority, grants.size()));
        String source = command.kind() == CreditKind.PREPAID ? "cash" : "promotions";
        debit(source, command.amount());
        credit("credits:" + scenario.accountId(), command.amount());
        return Outcome.ACCEPTED;
    }

    /** A void ({@code expiryClock} null) or an expiry: the grant's remainder is forfeited. */
    private Outcome forfeit(String grantId, Instant expiryClock) {
        CreditGrant grant = grants.get(grantId);
        if (grant == null || grant.voided || grant.expired) {
            return Outcome.REJECTED;
        }
        if (expiryClock != null && (grant.command.expiresAt() == null || expiryClock.isBefore(grant.command.expiresAt()))) {
            return Outcome.REJECTED;
        }
        BigDecimal forfeited = grant.remaining;
        count(expiryClock == null ? "grant voided" : "grant expired");
        grant.remaining = BigDecimal.ZERO;
        if (expiryClock == null) {
            grant.voided = true;
        } else {
            grant.expired = true;
        }
        debit("credits:" + scenario.accountId(), forfeited);
        credit(grant.command.kind() == CreditKind.PREPAID ? "breakage" : "promotions", forfeited);
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
        fundAndPost(command.amount(), timestamp, periodStartOf(timestamp, scenario.billingAnchorDay()), "revenue:fees");
        return Outcome.ACCEPTED;
    }

    /** Spec section 6, with no invoice yet: every payment is held as unapplied cash. */
    private Outcome payment(Payment command) {
        PaymentState existing = payments.get(command.paymentId());
        if (existing != null) {
            boolean sameContent = existing.command.amount().compareTo(command.amount()) == 0
                    && Objects.equals(existing.command.method(), command.method())
                    && Objects.equals(existing.command.externalRef(), command.externalRef());
            return sameContent ? Outcome.DUPLICATE : Outcome.REJECTED;
        }
        if (command.amount().signum() <= 0 || command.method() == null || command.method().isBlank()) {
            return Outcome.REJECTED;
        }
        payments.put(command.paymentId(), new PaymentState(command));
        unappliedCash = unappliedCash.add(command.amount());
        debit("cash", command.amount());
        credit("receivable:" + scenario.accountId(), command.amount());
        return Outcome.ACCEPTED;
    }

    /** A refund reverses (part of) a payment; it cannot return more than the payment left, nor cash already applied. */
    private Outcome refund(Refund command) {
        Refund existing = refunds.get(command.refundId());
        if (existing != null) {
            boolean sameContent = existing.paymentId().equals(command.paymentId())
                    && existing.amount().compareTo(command.amount()) == 0;
            return sameContent ? Outcome.DUPLICATE : Outcome.REJECTED;
        }
        PaymentState payment = payments.get(command.paymentId());
        if (payment == null || command.amount().signum() <= 0
                || command.amount().compareTo(payment.command.amount().subtract(payment.refunded)) > 0
                || command.amount().compareTo(unappliedCash) > 0) {
            return Outcome.REJECTED;
        }
        refunds.put(command.refundId(), command);
        payment.refunded = payment.refunded.add(command.amount());
        unappliedCash = unappliedCash.subtract(command.amount());
        debit("receivable:" + scenario.accountId(), command.amount());
        credit("cash", command.amount());
        return Outcome.ACCEPTED;
    }

    // ---- drawdown (spec section 4) and its postings (spec section 7) ----------------------

    private void fundAndPost(BigDecimal amount, Instant timestamp, Instant period, String revenueAccount) {
        BigDecimal creditUsed;
        BigDecimal uncoveredChange;
        if (amount.signum() >= 0) {
            BigDecimal drawn = draw(amount, timestamp, period);
            count(drawn.signum() > 0 ? "amount drawn on credit" : "amount with no credit drawn");
            creditUsed = drawn;
            uncoveredChange = amount.subtract(drawn);
        } else {
            BigDecimal undo = amount.negate();
            BigDecimal uncovered = uncoveredByPeriod.getOrDefault(period, BigDecimal.ZERO);
            BigDecimal fromUncovered = uncovered.signum() > 0 ? undo.min(uncovered) : BigDecimal.ZERO;
            BigDecimal restored = restore(undo.subtract(fromUncovered), period);
            count(revenueAccount.startsWith("revenue:usage:") ? "negative accrual" : "negative charge");
            count(fromUncovered.signum() > 0 ? "negative reduced uncovered" : "negative found no uncovered");
            count(restored.signum() > 0 ? "negative restored credit" : "negative restored no credit");
            if (undo.compareTo(fromUncovered.add(restored)) > 0) {
                count("negative pushed uncovered below zero");
            }
            creditUsed = restored.negate();
            uncoveredChange = undo.subtract(restored).negate();
        }
        uncoveredByPeriod.merge(period, uncoveredChange, BigDecimal::add);
        debit("credits:" + scenario.accountId(), creditUsed);
        debit("receivable:" + scenario.accountId(), uncoveredChange);
        credit(revenueAccount, amount);
    }

    /** Draws {@code amount} from usable grants in drawdown order; answers how much they covered. */
    private BigDecimal draw(BigDecimal amount, Instant timestamp, Instant period) {
        List<CreditGrant> usable = new ArrayList<>();
        for (CreditGrant grant : grants.values()) {
            boolean inWindow = !grant.effectiveAt.isAfter(timestamp)
                    && (grant.command.expiresAt() == null || timestamp.isBefore(grant.command.expiresAt()));
            if (inWindow && !grant.voided && !grant.expired && grant.remaining.signum() > 0) {
                usable.add(grant);
            }
        }
        usable.sort(Comparator
                .comparing((CreditGrant grant) -> grant.command.expiresAt() == null ? Instant.MAX : grant.command.expiresAt())
                .thenComparingInt(grant -> grant.priority)
                .thenComparingInt(grant -> grant.grantedOrder));
        BigDecimal needed = amount;
        BigDecimal covered = BigDecimal.ZERO;
        int grantsDrawn = 0;
        for (CreditGrant grant : usable) {
            if (needed.signum() == 0) {
                break;
            }
            BigDecimal take = grant.remaining.compareTo(needed) < 0 ? grant.remaining : needed;
            grant.remaining = grant.remaining.subtract(take);
            needed = needed.subtract(take);
            covered = covered.add(take);
            grantsDrawn++;
            drawsByPeriod.computeIfAbsent(period, start -> new ArrayList<>()).add(new Draw(grant, take));
        }
        if (grantsDrawn > 1) {
            count("draw spanning grants");
        }
        return covered;
    }

    /** Restores up to {@code amount} to the grants drawn most recently in the period, skipping gone grants. */
    private BigDecimal restore(BigDecimal amount, Instant period) {
        List<Draw> draws = drawsByPeriod.getOrDefault(period, List.of());
        BigDecimal left = amount;
        BigDecimal restored = BigDecimal.ZERO;
        for (int index = draws.size() - 1; index >= 0 && left.signum() > 0; index--) {
            Draw draw = draws.get(index);
            if (draw.grant.voided || draw.grant.expired || draw.notRestored.signum() == 0) {
                if (draw.notRestored.signum() > 0) {
                    count("restoration skipped a gone grant");
                }
                continue;
            }
            BigDecimal back = draw.notRestored.compareTo(left) < 0 ? draw.notRestored : left;
            draw.notRestored = draw.notRestored.subtract(back);
            draw.grant.remaining = draw.grant.remaining.add(back);
            left = left.subtract(back);
            restored = restored.add(back);
        }
        return restored;
    }

    private void count(String rule) {
        coverage.merge(rule, 1, Integer::sum);
    }

    private void debit(String ledgerAccount, BigDecimal amount) {
        journal.merge(ledgerAccount, amount, BigDecimal::add);
    }

    private void credit(String ledgerAccount, BigDecimal amount) {
        journal.merge(ledgerAccount, amount.negate(), BigDecimal::add);
    }

    // ---- figures (spec section 8's balance, with no invoice yet) --------------------------

    private LedgerFigures figures() {
        Map<String, BigDecimal> remaining = new TreeMap<>();
        BigDecimal creditBalance = BigDecimal.ZERO;
        for (CreditGrant grant : grants.values()) {
            remaining.put(grant.command.grantId(), grant.remaining);
            if (!grant.voided && !grant.expired) {
                creditBalance = creditBalance.add(grant.remaining);
            }
        }
        BigDecimal unbilled = uncoveredByPeriod.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        return new LedgerFigures(List.copyOf(outcomes), remaining, creditBalance, Map.copyOf(quantities),
                Map.copyOf(accruals), Map.copyOf(uncoveredByPeriod), unbilled, unappliedCash,
                unbilled.subtract(unappliedCash), Map.copyOf(journal), Map.copyOf(coverage));
    }

    private static final class CreditGrant {
        final Grant command;
        final Instant effectiveAt;
        final int priority;
        final int grantedOrder;
        BigDecimal remaining;
        boolean voided;
        boolean expired;

        CreditGrant(Grant command, Instant effectiveAt, int priority, int grantedOrder) {
            this.command = command;
            this.effectiveAt = effectiveAt;
            this.priority = priority;
            this.grantedOrder = grantedOrder;
            this.remaining = command.amount();
        }
    }

    private static final class Draw {
        final CreditGrant grant;
        BigDecimal notRestored;

        Draw(CreditGrant grant, BigDecimal amount) {
            this.grant = grant;
            this.notRestored = amount;
        }
    }

    private static final class PaymentState {
        final Payment command;
        BigDecimal refunded = BigDecimal.ZERO;

        PaymentState(Payment command) {
            this.command = command;
        }
    }
}
