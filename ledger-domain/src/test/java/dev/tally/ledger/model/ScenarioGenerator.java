package dev.tally.ledger.model;

import dev.tally.ledger.api.credit.CreditKind;
import dev.tally.ledger.api.plan.MeterPrice;
import dev.tally.ledger.api.plan.PriceModel;
import dev.tally.ledger.api.plan.Tier;
import dev.tally.ledger.model.Scenario.Charge;
import dev.tally.ledger.model.Scenario.ExpireGrant;
import dev.tally.ledger.model.Scenario.Grant;
import dev.tally.ledger.model.Scenario.Payment;
import dev.tally.ledger.model.Scenario.Refund;
import dev.tally.ledger.model.Scenario.Step;
import dev.tally.ledger.model.Scenario.UsageBatch;
import dev.tally.ledger.model.Scenario.UsageItem;
import dev.tally.ledger.model.Scenario.VoidGrant;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/**
 * Generates scenarios. jqwik draws a short description (meter seeds, anchor day, opening
 * offset and one small choice per step: its kind, how far the clock moves, a seed for its
 * details); this class turns it into concrete steps. Shrinking therefore removes steps and
 * simplifies the clock, while every detail stays reproducible from the printed seeds.
 * Mostly valid requests are generated, with a share of rejected ones and of replays.
 */
final class ScenarioGenerator {

    static final int MAX_STEPS = 50;
    static final int MAX_METERS = 3;
    static final Instant BASE = Instant.parse("2025-01-01T00:00:00Z");
    static final Instant PLAN_EFFECTIVE_FROM = Instant.parse("2024-06-01T00:00:00Z");
    static final String CURRENCY = "USD";
    static final String PLAN_ID = "plan-1";
    static final String ACCOUNT_ID = "acct-1";
    private static final long MINUTE = 60;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    enum Kind { USAGE, GRANT, VOID, EXPIRE_DUE, CHARGE, PAYMENT, REFUND }

    record StepChoice(Kind kind, int advanceMinutes, long seed) {
    }

    private ScenarioGenerator() {
    }

    static Arbitrary<Scenario> scenarios() {
        Arbitrary<List<Long>> meterSeeds = Arbitraries.longs().list().ofMinSize(1).ofMaxSize(MAX_METERS);
        Arbitrary<Integer> anchorDay = Arbitraries.integers().between(1, 28);
        Arbitrary<Integer> openOffsetMinutes = Arbitraries.integers().between(0, 70 * 24 * 60);
        Arbitrary<Integer> billingStartBackMinutes = Arbitraries.integers().between(0, 20 * 24 * 60).injectNull(0.5);
        Arbitrary<List<StepChoice>> choices = stepChoices().list().ofMinSize(1).ofMaxSize(MAX_STEPS)
                .withSizeDistribution(RandomDistribution.uniform());
        return Combinators.combine(meterSeeds, anchorDay, openOffsetMinutes, billingStartBackMinutes, choices)
                .as(ScenarioGenerator::interpret);
    }

    private static Arbitrary<StepChoice> stepChoices() {
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                Tuple.of(40, Kind.USAGE), Tuple.of(14, Kind.GRANT), Tuple.of(4, Kind.VOID), Tuple.of(5, Kind.EXPIRE_DUE),
                Tuple.of(8, Kind.CHARGE), Tuple.of(6, Kind.PAYMENT), Tuple.of(4, Kind.REFUND));
        Arbitrary<Integer> advance = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(0)),
                Tuple.of(4, Arbitraries.integers().between(1, 12 * 60)),
                Tuple.of(2, Arbitraries.integers().between(12 * 60, 7 * 24 * 60)));
        return Combinators.combine(kinds, advance, Arbitraries.longs()).as(StepChoice::new);
    }

    static Scenario interpret(List<Long> meterSeeds, int anchorDay, int openOffsetMinutes,
                              Integer billingStartBackMinutes, List<StepChoice> choices) {
        List<MeterPrice> prices = new ArrayList<>();
        for (int index = 0; index < meterSeeds.size(); index++) {
            prices.add(meterPrice("m" + index, new Random(meterSeeds.get(index))));
        }
        Instant openedAt = BASE.plusSeconds(openOffsetMinutes * MINUTE);
        Instant billingStart = billingStartBackMinutes == null ? null
                : openedAt.minusSeconds(billingStartBackMinutes * MINUTE);
        Interpreter interpreter = new Interpreter(prices, anchorDay, openedAt,
                billingStart != null ? billingStart : SpecCalculator.periodStartOf(openedAt, anchorDay));
        for (StepChoice choice : choices) {
            interpreter.take(choice);
        }
        return new Scenario(CURRENCY, PLAN_ID, PLAN_EFFECTIVE_FROM, prices, ACCOUNT_ID, anchorDay, openedAt,
                billingStart, interpreter.steps);
    }

    private static MeterPrice meterPrice(String meter, Random random) {
        int modelChoice = random.nextInt(100);
        PriceModel model = modelChoice < 35 ? PriceModel.VOLUME : modelChoice < 60 ? PriceModel.GRADUATED
                : modelChoice < 80 ? PriceModel.PER_UNIT : PriceModel.PACKAGE;
        return switch (model) {
            case PER_UNIT -> new MeterPrice(meter, model, unitPrice(random), List.of(), null, null);
            case GRADUATED, VOLUME -> new MeterPrice(meter, model, null, tiers(random), null, null);
            case PACKAGE -> new MeterPrice(meter, model, null, List.of(),
                    BigDecimal.valueOf(random.nextInt(1, 500), random.nextInt(0, 2)), unitPrice(random).movePointRight(2));
        };
    }

    private static BigDecimal unitPrice(Random random) {
        return BigDecimal.valueOf(random.nextInt(0, 5000), random.nextInt(2, 7));
    }

    /** 1-4 tiers with ascending bounds; unit prices usually fall, so volume pricing yields negative accruals. */
    private static List<Tier> tiers(Random random) {
        int count = random.nextInt(1, 5);
        List<BigDecimal> unitPrices = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            unitPrices.add(unitPrice(random));
        }
        if (random.nextInt(100) < 80) {
            unitPrices.sort(Comparator.reverseOrder());
        }
        List<Tier> tiers = new ArrayList<>();
        BigDecimal upTo = BigDecimal.ZERO;
        for (int index = 0; index < count; index++) {
            boolean last = index == count - 1;
            upTo = upTo.add(BigDecimal.valueOf(random.nextInt(1, 300), random.nextInt(0, 2)));
            BigDecimal flatFee = random.nextBoolean() ? null : BigDecimal.valueOf(random.nextInt(0, 3000), 2);
            tiers.add(new Tier(last ? null : upTo, unitPrices.get(index), flatFee));
        }
        return tiers;
    }

    /** Turns choices into steps, remembering what was generated so that later steps can refer to it. */
    private static final class Interpreter {
        final List<MeterPrice> prices;
        final int anchorDay;
        final Instant billingStart;
        final List<Step> steps = new ArrayList<>();
        final List<UsageItem> usageItems = new ArrayList<>();
        final List<Grant> grants = new ArrayList<>();
        final List<Charge> charges = new ArrayList<>();
        final List<Payment> payments = new ArrayList<>();
        final List<Refund> refunds = new ArrayList<>();
        Instant now;
        int counter;

        Interpreter(List<MeterPrice> prices, int anchorDay, Instant openedAt, Instant billingStart) {
            this.prices = prices;
            this.anchorDay = anchorDay;
            this.billingStart = billingStart;
            this.now = openedAt;
        }

        void take(StepChoice choice) {
            now = now.plusSeconds(choice.advanceMinutes() * MINUTE);
            Random random = new Random(choice.seed());
            switch (choice.kind()) {
                case USAGE -> usage(random);
                case GRANT -> grant(random);
                case VOID -> steps.add(new VoidGrant(now, random.nextInt(100) < 85 && !grants.isEmpty()
                        ? pick(random, grants).grantId() : "g-missing"));
                case EXPIRE_DUE -> expireDue(random);
                case CHARGE -> charge(random);
                case PAYMENT -> payment(random);
                case REFUND -> refund(random);
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
                    item = new UsageItem("u" + counter++, meter, quantity(random), usageTimestamp(random));
                }
                items.add(item);
                usageItems.add(item);
            }
            steps.add(new UsageBatch(now, items));
        }

        private BigDecimal quantity(Random random) {
            int mode = random.nextInt(100);
            if (mode < 2) {
                return BigDecimal.valueOf(-random.nextInt(1, 100), random.nextInt(0, 3));
            }
            if (mode < 80) {
                return BigDecimal.valueOf(random.nextInt(0, 200), random.nextInt(0, 4));
            }
            return BigDecimal.valueOf(random.nextInt(0, 3000), random.nextInt(0, 2));
        }

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
                Instant effectiveAt = random.nextInt(100) < 40 ? null
                        : now.plusSeconds(random.nextLong(-30 * DAY, 3 * DAY));
                Instant base = effectiveAt == null ? now : effectiveAt;
                int expiryMode = random.nextInt(100);
                Instant expiresAt;
                if (expiryMode < 40) {
                    expiresAt = null;
                } else if (expiryMode < 43) {
                    expiresAt = base.minusSeconds(HOUR);
                } else if (expiryMode < 45) {
                    expiresAt = base;
                } else {
                    expiresAt = base.plusSeconds(random.nextLong(HOUR, 30 * DAY));
                }
                String description = random.nextBoolean() ? null : "grant " + counter;
                grant = new Grant(now, "g" + counter++, amount, kind, effectiveAt, expiresAt, priority, description);
            }
            grants.add(grant);
            steps.add(grant);
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
                steps.add(new ExpireGrant(now, grantId));
            }
            if (random.nextInt(100) < 25 && !grants.isEmpty()) {
                steps.add(new ExpireGrant(now, pick(random, grants).grantId()));
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
                charge = new Charge(now, "c" + counter++, amount, amount.signum() < 0 ? "goodwill" : "setup", timestamp);
            }
            charges.add(charge);
            steps.add(charge);
        }

        private void payment(Random random) {
            int mode = random.nextInt(100);
            Payment payment;
            if (mode < 5 && !payments.isEmpty()) {
                Payment earlier = pick(random, payments);
                payment = new Payment(now, earlier.paymentId(), earlier.amount(), earlier.method(), earlier.externalRef());
            } else if (mode < 8 && !payments.isEmpty()) {
                Payment earlier = pick(random, payments);
                payment = new Payment(now, earlier.paymentId(), earlier.amount().add(BigDecimal.TEN), earlier.method(),
                        earlier.externalRef());
            } else {
                BigDecimal amount = mode < 11 ? BigDecimal.ZERO : BigDecimal.valueOf(random.nextInt(100, 30000), 2);
                String id = "p" + counter++;
                payment = new Payment(now, id, amount, "card", random.nextBoolean() ? "pi_" + id : null);
            }
            payments.add(payment);
            steps.add(payment);
        }

        private void refund(Random random) {
            int mode = random.nextInt(100);
            Refund refund;
            if (mode < 5 && !refunds.isEmpty()) {
                Refund earlier = pick(random, refunds);
                refund = new Refund(now, earlier.refundId(), earlier.paymentId(), earlier.amount());
            } else if (mode < 8 && !refunds.isEmpty()) {
                Refund earlier = pick(random, refunds);
                refund = new Refund(now, earlier.refundId(), earlier.paymentId(), earlier.amount().add(BigDecimal.ONE));
            } else if (payments.isEmpty() || mode < 15) {
                refund = new Refund(now, "r" + counter++, "p-missing", BigDecimal.ONE);
            } else {
                Payment payment = pick(random, payments);
                BigDecimal amount = mode < 25 ? payment.amount().add(BigDecimal.ONE)
                        : payment.amount().multiply(BigDecimal.valueOf(random.nextInt(1, 101), 2))
                        .setScale(2, RoundingMode.HALF_UP).max(new BigDecimal("0.01"));
                refund = new Refund(now, "r" + counter++, payment.paymentId(), amount);
            }
            refunds.add(refund);
            steps.add(refund);
        }

        private static <T> T pick(Random random, List<T> items) {
            return items.get(random.nextInt(items.size()));
        }
    }
}
