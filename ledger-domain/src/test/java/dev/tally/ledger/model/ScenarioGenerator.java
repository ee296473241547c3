package dev.tally.ledger.model;

import dev.tally.ledger.api.plan.MeterPrice;
import dev.tally.ledger.api.plan.PriceModel;
import dev.tally.ledger.api.plan.Tier;
import java.math.BigDecimal;
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
 * Generates scenarios. jqwik draws a short description (meter seeds, the plan's minimum
 * commitment, anchor day, opening offset, how many periods to bill and one small choice per
 * step: its kind, how far the clock moves, a seed for its details); {@link ScenarioInterpreter}
 * turns it into concrete steps. Shrinking therefore removes steps and simplifies the clock,
 * while every detail stays reproducible from the printed seeds. Mostly valid requests are
 * generated, with a share of rejected ones and of replays.
 */
final class ScenarioGenerator {

    static final int MAX_STEPS = 50;
    static final int MAX_METERS = 3;
    static final int MIN_PERIODS_BILLED = 2;
    static final int MAX_PERIODS_BILLED = 3;
    static final Instant BASE = Instant.parse("2025-01-01T00:00:00Z");
    static final Instant PLAN_EFFECTIVE_FROM = Instant.parse("2024-06-01T00:00:00Z");
    static final String CURRENCY = "USD";
    static final String PLAN_ID = "plan-1";
    static final String ACCOUNT_ID = "acct-1";
    private static final long MINUTE = 60;

    enum Kind { USAGE, GRANT, VOID, EXPIRE_DUE, CHARGE, PAYMENT, REFUND, CLOSE, VOID_INVOICE }

    record StepChoice(Kind kind, int advanceMinutes, long seed) {
    }

    /** How many consecutive periods, from the first, the scenario closes; {@code seed} picks when each close comes. */
    record Billing(int periods, long seed) {
    }

    private ScenarioGenerator() {
    }

    static Arbitrary<Scenario> scenarios() {
        Arbitrary<List<Long>> meterSeeds = Arbitraries.longs().list().ofMinSize(1).ofMaxSize(MAX_METERS);
        Arbitrary<Long> minimumSeed = Arbitraries.longs().injectNull(0.6);
        Arbitrary<Integer> anchorDay = Arbitraries.integers().between(1, 28);
        Arbitrary<Integer> openOffsetMinutes = Arbitraries.integers().between(0, 70 * 24 * 60);
        Arbitrary<Integer> billingStartBackMinutes = Arbitraries.integers().between(0, 20 * 24 * 60).injectNull(0.5);
        Arbitrary<Billing> billing = Combinators.combine(
                Arbitraries.integers().between(MIN_PERIODS_BILLED, MAX_PERIODS_BILLED), Arbitraries.longs())
                .as(Billing::new);
        Arbitrary<List<StepChoice>> choices = stepChoices().list().ofMinSize(1).ofMaxSize(MAX_STEPS)
                .withSizeDistribution(RandomDistribution.uniform());
        return Combinators.combine(meterSeeds, minimumSeed, anchorDay, openOffsetMinutes, billingStartBackMinutes,
                billing, choices).as(ScenarioGenerator::interpret);
    }

    private static Arbitrary<StepChoice> stepChoices() {
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                Tuple.of(36, Kind.USAGE), Tuple.of(12, Kind.GRANT), Tuple.of(3, Kind.VOID), Tuple.of(5, Kind.EXPIRE_DUE),
                Tuple.of(7, Kind.CHARGE), Tuple.of(9, Kind.PAYMENT), Tuple.of(5, Kind.REFUND), Tuple.of(3, Kind.CLOSE),
                Tuple.of(5, Kind.VOID_INVOICE));
        Arbitrary<Integer> advance = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(0)),
                Tuple.of(4, Arbitraries.integers().between(1, 12 * 60)),
                Tuple.of(2, Arbitraries.integers().between(12 * 60, 7 * 24 * 60)));
        return Combinators.combine(kinds, advance, Arbitraries.longs()).as(StepChoice::new);
    }

    static Scenario interpret(List<Long> meterSeeds, Long minimumSeed, int anchorDay, int openOffsetMinutes,
                              Integer billingStartBackMinutes, Billing billing, List<StepChoice> choices) {
        List<MeterPrice> prices = new ArrayList<>();
        for (int index = 0; index < meterSeeds.size(); index++) {
            prices.add(meterPrice("m" + index, new Random(meterSeeds.get(index))));
        }
        BigDecimal minimum = minimumSeed == null ? null : minimumCommitment(new Random(minimumSeed));
        Instant openedAt = BASE.plusSeconds(openOffsetMinutes * MINUTE);
        Instant billingStart = billingStartBackMinutes == null ? null
                : openedAt.minusSeconds(billingStartBackMinutes * MINUTE);
        Scenario account = new Scenario(CURRENCY, PLAN_ID, PLAN_EFFECTIVE_FROM, prices, minimum, ACCOUNT_ID,
                anchorDay, openedAt, billingStart, List.of());
        ScenarioInterpreter interpreter = new ScenarioInterpreter(account, billing);
        for (int index = 0; index < choices.size(); index++) {
            interpreter.closeScheduledPeriods(index, choices.size());
            interpreter.take(choices.get(index));
        }
        interpreter.closeScheduledPeriods(choices.size(), choices.size());
        return account.withSteps(interpreter.steps());
    }

    /**
     * Up to 1,000.000, sometimes with a third decimal so that the minimum itself needs rounding,
     * and now and then under a cent, so that a period without usage meets a minimum that rounds
     * to 0.00 or 0.01.
     */
    private static BigDecimal minimumCommitment(Random random) {
        if (random.nextInt(100) < 15) {
            return BigDecimal.valueOf(random.nextInt(1, 10), 3);
        }
        return BigDecimal.valueOf(random.nextInt(0, 100_000), random.nextInt(2, 4));
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
}
