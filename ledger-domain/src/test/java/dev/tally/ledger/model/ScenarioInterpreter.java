package dev.tally.ledger.model;

import dev.tally.ledger.api.credit.CreditKind;
import dev.tally.ledger.api.plan.MeterPrice;
import dev.tally.ledger.model.ScenarioGenerator.Billing;
import dev.tally.ledger.model.ScenarioGenerator.StepChoice;
import dev.tally.ledger.model.Scenario.Charge;
import dev.tally.ledger.model.Scenario.ExpireGrant;
import dev.tally.ledger.model.Scenario.Grant;
import dev.tally.ledger.model.Scenario.Step;
import dev.tally.ledger.model.Scenario.UsageBatch;
import dev.tally.ledger.model.Scenario.UsageItem;
import dev.tally.ledger.model.Scenario.VoidGrant;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Turns jqwik's choices into the steps of one scenario, remembering what was generated so that
 * later steps can refer to it. The scenario bills {@link Billing#periods()} consecutive periods:
 * their closes are spread evenly over the steps, each some time after its period ended, so that
 * usage, payments and voids happen between invoices. A {@link SpecCalculator} takes every step
 * as it is written, which lets payments, refunds and voids aim at what is actually owed; what
 * the ledger makes of them is still compared with the calculator afterwards.
 */
final class ScenarioInterpreter {

    static final long MINUTE = 60;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    private final Scenario account;
    private final Billing billing;
    private final Random closeTimes;
    private final List<MeterPrice> prices;
    private final int anchorDay;
    private final Instant billingStart;
    private final Instant firstPeriod;
    private final SpecCalculator calculator;
    private final BillingSteps billingSteps;
    private final List<Step> steps = new ArrayList<>();
    private final List<UsageItem> usageItems = new ArrayList<>();
    private final List<Grant> grants = new ArrayList<>();
    private final List<Charge> charges = new ArrayList<>();
    private Instant now;
    private int counter;

    ScenarioInterpreter(Scenario account, Billing billing) {
        this.account = account;
        this.billing = billing;
        this.closeTimes = new Random(billing.seed());
        this.prices = account.prices();
        this.anchorDay = account.billingAnchorDay();
        this.billingStart = account.billingStart() != null ? account.billingStart()
                : SpecCalculator.periodStartOf(account.openedAt(), anchorDay);
        this.firstPeriod = SpecCalculator.periodStartOf(billingStart, anchorDay);
        this.calculator = new SpecCalculator(account);
        this.billingSteps = new BillingSteps(this, calculator);
        this.now = account.openedAt();
    }

    List<Step> steps() {
        return List.copyOf(steps);
    }

    Instant now() {
        return now;
    }

    Instant firstPeriod() {
        return firstPeriod;
    }

    int anchorDay() {
        return anchorDay;
    }

    String nextId(String prefix) {
        return prefix + counter++;
    }

    /** Records a step and lets the calculator take it, so that later choices see its effect. */
    void add(Step step) {
        steps.add(step);
        calculator.take(step);
    }

    /** The start of the {@code index}-th billing period, counting the first one as 0. */
    Instant periodStart(int index) {
        Instant start = firstPeriod;
        for (int count = 0; count < index; count++) {
            start = SpecCalculator.periodEndOf(start);
        }
        return start;
    }

    /**
     * Before the choice at {@code index} of {@code choiceCount}, closes each scheduled period
     * whose turn has come: the k-th of n closes comes after (k+1)/(n+1) of the choices. The clock
     * moves to some time after the period's end first if it is not there yet.
     */
    void closeScheduledPeriods(int index, int choiceCount) {
        int periods = billing.periods();
        for (int period = 0; period < periods; period++) {
            int due = (int) Math.ceil((period + 1) * (double) choiceCount / (periods + 1));
            Instant start = periodStart(period);
            if (index >= due && !calculator.isInvoiced(start)) {
                Instant earliest = SpecCalculator.periodEndOf(start).plusSeconds(closeDelaySeconds(closeTimes));
                now = now.isBefore(earliest) ? earliest : now;
                add(new Scenario.ClosePeriod(now, start));
            }
        }
    }

    /** How long after its period's end a close comes: at once, after the default grace hour, or days later. */
    private static long closeDelaySeconds(Random random) {
        int mode = random.nextInt(100);
        if (mode < 15) {
            return 0;
        }
        if (mode < 50) {
            return random.nextLong(HOUR, 2 * HOUR);
        }
        if (mode < 85) {
            return random.nextLong(2 * HOUR, 3 * DAY);
        }
        return random.nextLong(3 * DAY, 12 * DAY);
    }

    void take(StepChoice choice) {
        now = now.plusSeconds(choice.advanceMinutes() * MINUTE);
        Random random = new Random(choice.seed());
        switch (choice.kind()) {
            case USAGE -> usage(random);
            case GRANT -> grant(random);
            case VOID -> add(new VoidGrant(now, random.nextInt(100) < 85 && !grants.isEmpty()
                    ? pick(random, grants).grantId() : "g-missing"));
            case EXPIRE_DUE -> expireDue(random);
            case CHARGE -> charge(random);
            case PAYMENT -> billingSteps.payment(random);
            case REFUND -> billingSteps.refund(random);
            case CLOSE -> billingSteps.close(random);
            case VOID_INVOICE -> billingSteps.voidInvoice(random);
        }
    }

    private void usage(Random random) {
        int size = 1 + random.nextInt(3);
        List<UsageItem> items = new ArrayList<>();
        for (int index = 0; index < size; index++) {
            int mode = random.nextInt(100);
            UsageItem item;
            if (mode < 8 && !usageItems.isEmpty()) {
                item = pick(random, usageItems);
            } else if (mode < 11 && !usageItems.isEmpty()) {
                UsageItem earlier = pick(random, usageItems);
                item = new UsageItem(earlier.idempotencyKey(), earlier.meter(),
                        earlier.quantity().setScale(earlier.quantity().scale() + 2, RoundingMode.UNNECESSARY),
                        earlier.timestamp());
            } else if (mode < 14 && !usageItems.isEmpty()) {
                UsageItem earlier = pick(random, usageItems);
                item = new UsageItem(earlier.idempotencyKey(), earlier.meter(), earlier.quantity().add(BigDecimal.ONE),
                        earlier.timestamp());
            } else {
                String meter = random.nextInt(100) < 3 ? "unknown_meter" : pick(random, prices).meter();
                item = new UsageItem(nextId("u"), meter, quantity(random), usageTimestamp(random));
            }
            items.add(item);
            usageItems.add(item);
        }
        add(new UsageBatch(now, items));
    }

    private static BigDecimal quantity(Random random) {
        int mode = random.nextInt(100);
        if (mode < 2) {
            return BigDecimal.valueOf(-random.nextInt(1, 100), random.nextInt(0, 3));
        }
        if (mode < 80) {
            return BigDecimal.valueOf(random.nextInt(0, 200), random.nextInt(0, 4));
        }
        return BigDecimal.valueOf(random.nextInt(0, 3000), random.nextInt(0, 2));
    }

    /** Mostly recent usage, which after a close is often late usage for the period just invoiced. */
    private Instant usageTimestamp(Random random) {
        int mode = random.nextInt(100);
        if (mode < 55) {
            return now.minusSeconds(random.nextLong(0, 2 * DAY));
        }
        if (mode < 78) {
            long sinceBillingStart = Math.max(1, Duration.between(billingStart, now).getSeconds());
            return now.minusSeconds(random.nextLong(0, sinceBillingStart + 1));
        }
        if (mode < 83) {
            return now.plusSeconds(random.nextLong(1, 10 * MINUTE));
        }
        if (mode < 85) {
            return now.plus(SpecCalculator.FUTURE_TOLERANCE);
        }
        if (mode < 88) {
            return billingStart.minusSeconds(random.nextLong(1, 3 * DAY));
        }
        if (mode < 89) {
            return now.minus(Duration.ofDays(100));
        }
        return notableInstant(random);
    }

    /** An instant on a boundary the rules care about: a period start, billingStart, or a grant's window edge. */
    private Instant notableInstant(Random random) {
        List<Instant> candidates = new ArrayList<>();
        Instant currentPeriod = SpecCalculator.periodStartOf(now, anchorDay);
        candidates.add(currentPeriod);
        candidates.add(SpecCalculator.periodStartOf(currentPeriod.minusSeconds(1), anchorDay));
        candidates.add(currentPeriod.minusSeconds(1));
        candidates.add(billingStart);
        for (Grant grant : grants) {
            if (grant.effectiveAt() != null) {
                candidates.add(grant.effectiveAt());
            }
            if (grant.expiresAt() != null) {
                candidates.add(grant.expiresAt());
                candidates.add(grant.expiresAt().minusSeconds(1));
            }
        }
        Instant chosen = pick(random, candidates);
        return chosen.isAfter(now.plus(SpecCalculator.FUTURE_TOLERANCE)) ? now : chosen;
    }

    private void grant(Random random) {
        int mode = random.nextInt(100);
        Grant grant;
        if (mode < 6 && !grants.isEmpty()) {
            Grant earlier = pick(random, grants);
            grant = new Grant(now, earlier.grantId(), earlier.amount(), earlier.kind(), earlier.effectiveAt(),
                    earlier.expiresAt(), earlier.priority(), earlier.description());
        } else if (mode < 9 && !grants.isEmpty()) {
            Grant earlier = pick(random, grants);
            grant = new Grant(now, earlier.grantId(), earlier.amount().add(BigDecimal.ONE), earlier.kind(),
                    earlier.effectiveAt(), earlier.expiresAt(), earlier.priority(), earlier.description());
        } else {
            BigDecimal amount = random.nextInt(100) < 3 ? BigDecimal.ZERO
                    : BigDecimal.valueOf(random.nextInt(1, random.nextBoolean() ? 30000 : 300000), random.nextInt(0, 3));
            CreditKind kind = random.nextBoolean() ? CreditKind.PREPAID : CreditKind.PROMOTIONAL;
            Integer priority = random.nextInt(100) < 30 ? null : pick(random, List.of(0, 1, 5, 50, 100, 100, 150));
            Instant effectiveAt = effectiveAt(random);
            String description = random.nextBoolean() ? null : "grant " + counter;
            grant = new Grant(now, nextId("g"), amount, kind, effectiveAt,
                    expiresAt(random, effectiveAt == null ? now : effectiveAt), priority, description);
        }
        grants.add(grant);
        add(grant);
    }

    /** Null (now), a time around now, or exactly the next period's start: too late to fund this period at issue. */
    private Instant effectiveAt(Random random) {
        int mode = random.nextInt(100);
        if (mode < 40) {
            return null;
        }
        if (mode < 48) {
            return SpecCalculator.periodEndOf(SpecCalculator.periodStartOf(now, anchorDay));
        }
        return now.plusSeconds(random.nextLong(-30 * DAY, 3 * DAY));
    }

    /**
     * No expiry, an invalid one, one in the middle of a period, or one near the current period's
     * end: live while the period's usage arrives but perhaps gone when its invoice is issued.
     */
    private Instant expiresAt(Random random, Instant base) {
        int mode = random.nextInt(100);
        if (mode < 40) {
            return null;
        }
        if (mode < 43) {
            return base.minusSeconds(HOUR);
        }
        if (mode < 45) {
            return base;
        }
        if (mode < 60) {
            Instant periodEnd = SpecCalculator.periodEndOf(SpecCalculator.periodStartOf(now, anchorDay));
            return periodEnd.plusSeconds(random.nextLong(-3 * DAY, 2 * HOUR));
        }
        return base.plusSeconds(random.nextLong(HOUR, 30 * DAY));
    }

    /** The scheduler's round: expire every grant whose expiresAt has passed, and now and then one that has not. */
    private void expireDue(Random random) {
        List<String> due = new ArrayList<>();
        for (Grant grant : grants) {
            if (grant.expiresAt() != null && !grant.expiresAt().isAfter(now) && !due.contains(grant.grantId())) {
                due.add(grant.grantId());
            }
        }
        for (String grantId : due) {
            add(new ExpireGrant(now, grantId));
        }
        if (random.nextInt(100) < 25 && !grants.isEmpty()) {
            add(new ExpireGrant(now, pick(random, grants).grantId()));
        }
    }

    private void charge(Random random) {
        int mode = random.nextInt(100);
        Charge charge;
        if (mode < 5 && !charges.isEmpty()) {
            Charge earlier = pick(random, charges);
            charge = new Charge(now, earlier.chargeId(), earlier.amount(), earlier.description(), earlier.timestamp());
        } else if (mode < 8 && !charges.isEmpty()) {
            Charge earlier = pick(random, charges);
            charge = new Charge(now, earlier.chargeId(), earlier.amount().add(BigDecimal.ONE), earlier.description(),
                    earlier.timestamp());
        } else {
            BigDecimal amount = random.nextInt(100) < 65 ? BigDecimal.valueOf(random.nextInt(1, 5000), 2)
                    : BigDecimal.valueOf(-random.nextInt(1, 3000), 2);
            Instant timestamp = null;
            if (random.nextBoolean()) {
                Instant candidate = now.minusSeconds(random.nextLong(0, 30 * DAY));
                timestamp = candidate.isBefore(billingStart) ? billingStart : candidate;
            }
            charge = new Charge(now, nextId("c"), amount, amount.signum() < 0 ? "goodwill" : "setup", timestamp);
        }
        charges.add(charge);
        add(charge);
    }

    static <T> T pick(Random random, List<T> items) {
        return items.get(random.nextInt(items.size()));
    }
}
