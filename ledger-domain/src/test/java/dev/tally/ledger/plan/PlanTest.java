package dev.tally.ledger.plan;

import static dev.tally.ledger.testing.LedgerMatchers.accepted;
import static dev.tally.ledger.testing.LedgerMatchers.exactly;
import static dev.tally.ledger.testing.LedgerMatchers.rejectedWith;

import dev.tally.ledger.LedgerSettings;
import dev.tally.ledger.api.money.Money;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.ledger.api.plan.MeterPrice;
import dev.tally.ledger.api.plan.PlanPublished;
import dev.tally.ledger.api.plan.PriceModel;
import dev.tally.ledger.api.plan.PublishPlan;
import dev.tally.ledger.api.plan.Tier;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

// Goal: a plan publishes versions 1, 2, ... and every rejected publication applies no event.
class PlanTest {

    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final Instant JANUARY = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant APRIL = Instant.parse("2026-04-01T00:00:00Z");
    private static final List<MeterPrice> PRICES = List.of(
            MeterPrice.perUnit("gpu_seconds", "0.002"),
            MeterPrice.graduated("images", List.of(tier("100", "0.04", "5"), tier(null, "0.02", null))),
            MeterPrice.volume("api_calls", List.of(tier("1000", "0.001", null), tier(null, "0.0005", null))),
            MeterPrice.packaged("exports", "100", "3"));

    private AggregateTestFixture<Plan> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Plan.class);
        fixture.registerInjectableResource(LedgerSettings.withClock(Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    @Test
    void canPublishTheFirstVersionEffectiveNow() {
        fixture.givenNoPriorActivity()
                .when(new PublishPlan("inference", "USD", null, null, PRICES))
                .expectResultMessagePayloadMatching(accepted())
                .expectEventsMatching(exactly(new PlanPublished("inference", 1, "USD", NOW, null, PRICES, NOW)));
    }

    @Test
    void canPublishTheFirstVersionEffectiveInThePastForMigratedCustomers() {
        Money minimum = Money.of("USD", "50");
        fixture.givenNoPriorActivity()
                .when(new PublishPlan("inference", "USD", JANUARY, minimum, PRICES))
                .expectResultMessagePayloadMatching(accepted())
                .expectEventsMatching(exactly(new PlanPublished("inference", 1, "USD", JANUARY, minimum, PRICES, NOW)));
    }

    @Test
    void canPublishVersionTwoEffectiveInTheFuture() {
        List<MeterPrice> cheaper = List.of(MeterPrice.perUnit("gpu_seconds", "0.0015"));
        fixture.given(versionOne(JANUARY))
                .when(new PublishPlan("inference", "USD", APRIL, null, cheaper))
                .expectResultMessagePayloadMatching(accepted())
                .expectEventsMatching(exactly(new PlanPublished("inference", 2, "USD", APRIL, null, cheaper, NOW)));
    }

    @Test
    void canPublishVersionTwoEffectiveNowByDefault() {
        fixture.given(versionOne(JANUARY))
                .when(new PublishPlan("inference", "USD", null, null, PRICES))
                .expectResultMessagePayloadMatching(accepted())
                .expectEventsMatching(exactly(new PlanPublished("inference", 2, "USD", NOW, null, PRICES, NOW)));
    }

    @Test
    void canPublishVersionThreeAfterTwo() {
        fixture.given(versionOne(JANUARY), new PlanPublished("inference", 2, "USD", NOW, null, PRICES, NOW))
                .when(new PublishPlan("inference", "USD", APRIL, null, PRICES))
                .expectEventsMatching(exactly(new PlanPublished("inference", 3, "USD", APRIL, null, PRICES, NOW)));
    }

    @Test
    void cannotPublishInAnUnsupportedCurrency() {
        for (String currency : new String[] {"usd", "ABC", "XXX", "US", null}) {
            fixture.givenNoPriorActivity()
                    .when(new PublishPlan("inference", currency, null, null, PRICES))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.UNSUPPORTED_CURRENCY))
                    .expectNoEvents();
        }
    }

    @Test
    void cannotPublishInvalidPrices() {
        List<List<MeterPrice>> invalid = List.of(
                List.of(),
                List.of(MeterPrice.perUnit("gpu_seconds", "-0.01")),
                List.of(new MeterPrice("gpu_seconds", PriceModel.PER_UNIT, null, null, null, null)),
                List.of(new MeterPrice("gpu_seconds", null, BigDecimal.ONE, null, null, null)),
                List.of(MeterPrice.perUnit("GPU Seconds", "0.01")),
                List.of(MeterPrice.perUnit("gpu_seconds", "0.01"), MeterPrice.perUnit("gpu_seconds", "0.02")),
                List.of(MeterPrice.graduated("images", List.of())),
                List.of(MeterPrice.graduated("images", List.of(tier("100", "0.04", null)))),
                List.of(MeterPrice.graduated("images", List.of(tier(null, "0.04", null), tier(null, "0.02", null)))),
                List.of(MeterPrice.volume("images", List.of(tier("100", "0.04", null), tier("100", "0.03", null),
                        tier(null, "0.02", null)))),
                List.of(MeterPrice.volume("images", List.of(tier("0", "0.04", null), tier(null, "0.02", null)))),
                List.of(MeterPrice.volume("images", List.of(tier("100", "-0.04", null), tier(null, "0.02", null)))),
                List.of(MeterPrice.graduated("images", List.of(tier("100", "0.04", "-1"), tier(null, "0.02", null)))),
                List.of(MeterPrice.packaged("exports", "0", "3")),
                List.of(MeterPrice.packaged("exports", "-100", "3")),
                List.of(MeterPrice.packaged("exports", "100", "-3")));
        for (List<MeterPrice> prices : invalid) {
            fixture.givenNoPriorActivity()
                    .when(new PublishPlan("inference", "USD", null, null, prices))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.INVALID_PRICE))
                    .expectNoEvents();
        }
    }

    @Test
    void cannotPublishAMinimumCommitmentInAnotherCurrencyOrBelowZero() {
        fixture.givenNoPriorActivity()
                .when(new PublishPlan("inference", "USD", null, Money.of("EUR", "50"), PRICES))
                .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.CURRENCY_MISMATCH))
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new PublishPlan("inference", "USD", null, Money.of("USD", "-1"), PRICES))
                .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.INVALID_AMOUNT))
                .expectNoEvents();
    }

    @Test
    void cannotChangeThePlanCurrencyInALaterVersion() {
        fixture.given(versionOne(JANUARY))
                .when(new PublishPlan("inference", "EUR", APRIL, null, PRICES))
                .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.PLAN_CURRENCY_CHANGED))
                .expectNoEvents();
    }

    @Test
    void cannotPublishAVersionEffectiveAtOrBeforeThePreviousOne() {
        Instant laterThisMonth = Instant.parse("2026-03-20T00:00:00Z");
        fixture.given(versionOne(APRIL))
                .when(new PublishPlan("inference", "USD", laterThisMonth, null, PRICES))
                .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.EFFECTIVE_FROM_NOT_AFTER_PREVIOUS))
                .expectNoEvents();
        fixture.given(versionOne(APRIL))
                .when(new PublishPlan("inference", "USD", APRIL, null, PRICES))
                .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.EFFECTIVE_FROM_NOT_AFTER_PREVIOUS))
                .expectNoEvents();
    }

    @Test
    void cannotPublishALaterVersionEffectiveInThePast() {
        Instant firstOfMarch = Instant.parse("2026-03-01T00:00:00Z");
        fixture.given(versionOne(JANUARY))
                .when(new PublishPlan("inference", "USD", firstOfMarch, null, PRICES))
                .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.EFFECTIVE_FROM_IN_PAST))
                .expectNoEvents();
    }

    private static PlanPublished versionOne(Instant effectiveFrom) {
        return new PlanPublished("inference", 1, "USD", effectiveFrom, null, PRICES, JANUARY);
    }

    private static Tier tier(String upTo, String unitPrice, String flatFee) {
        return new Tier(upTo == null ? null : new BigDecimal(upTo), new BigDecimal(unitPrice),
                flatFee == null ? null : new BigDecimal(flatFee));
    }
}
