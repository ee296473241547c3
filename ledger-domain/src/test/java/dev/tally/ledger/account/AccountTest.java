package dev.tally.ledger.account;

import static dev.tally.ledger.testing.LedgerMatchers.accepted;
import static dev.tally.ledger.testing.LedgerMatchers.duplicate;
import static dev.tally.ledger.testing.LedgerMatchers.exactly;
import static dev.tally.ledger.testing.LedgerMatchers.rejectedWith;
import static dev.tally.ledger.testing.LedgerMatchers.usageOutcomes;

import dev.tally.ledger.LedgerSettings;
import dev.tally.ledger.api.account.AccountOpened;
import dev.tally.ledger.api.account.OpenAccount;
import dev.tally.ledger.api.charge.ChargeRecorded;
import dev.tally.ledger.api.charge.RecordCharge;
import dev.tally.ledger.api.credit.CreditBalanceDepleted;
import dev.tally.ledger.api.credit.CreditExpired;
import dev.tally.ledger.api.credit.CreditGranted;
import dev.tally.ledger.api.credit.CreditKind;
import dev.tally.ledger.api.credit.CreditMovement;
import dev.tally.ledger.api.credit.CreditVoided;
import dev.tally.ledger.api.credit.ExpireCredit;
import dev.tally.ledger.api.credit.Funding;
import dev.tally.ledger.api.credit.GrantCredit;
import dev.tally.ledger.api.credit.LowCreditBalance;
import dev.tally.ledger.api.credit.VoidCredit;
import dev.tally.ledger.api.money.Money;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.ledger.api.payment.PaymentRecorded;
import dev.tally.ledger.api.payment.PaymentRefunded;
import dev.tally.ledger.api.payment.RecordPayment;
import dev.tally.ledger.api.payment.RefundPayment;
import dev.tally.ledger.api.plan.MeterPrice;
import dev.tally.ledger.api.plan.Tier;
import dev.tally.ledger.api.usage.RecordUsage;
import dev.tally.ledger.api.usage.UsageOutcome;
import dev.tally.ledger.api.usage.UsageBatchRecorded;
import dev.tally.ledger.api.usage.UsageRecorded;
import dev.tally.ledger.api.usage.UsageSubmission;
import dev.tally.ledger.calendar.BillingCalendar;
import dev.tally.ledger.testing.InMemoryPlanCatalog;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

// Goal: every command the account handles gives exactly the events (and outcome) of spec sections 2, 3, 4 and 6.
class AccountTest {

    private static final String ACME = "acme";
    private static final String PLAN = "inference";
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final Instant FEBRUARY = Instant.parse("2026-02-01T00:00:00Z");
    private static final Instant MARCH = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant APRIL = Instant.parse("2026-04-01T00:00:00Z");
    private static final Instant JUNE = Instant.parse("2026-06-01T00:00:00Z");
    /** When most usage in these scenarios happened: the day before "now", in the March period. */
    private static final Instant TS = Instant.parse("2026-03-09T10:00:00Z");
    private static final Map<String, Object> PROPERTIES = Map.of("region", "eu-west-1", "model", "llama-70b");

    /** gpu_seconds 0.50 each; images 1.00 up to 10 (+5 flat) then 0.50; tokens volume 1.00 up to 10, then 0.50; exports 3.00 per 100. */
    private static final List<MeterPrice> PRICES = List.of(
            MeterPrice.perUnit("gpu_seconds", "0.50"),
            MeterPrice.graduated("images", List.of(tier("10", "1.00", "5"), tier(null, "0.50", null))),
            MeterPrice.volume("tokens", List.of(tier("10", "1.00", null), tier(null, "0.50", null))),
            MeterPrice.packaged("exports", "100", "3.00"));

    private AggregateTestFixture<Account> fixture;
    private InMemoryPlanCatalog plans;

    @BeforeEach
    void setUp() {
        plans = new InMemoryPlanCatalog();
        plans.publish(PLAN, "USD", Instant.parse("2025-06-01T00:00:00Z"), PRICES.toArray(MeterPrice[]::new));
        plans.publish("europe", "EUR", Instant.parse("2025-06-01T00:00:00Z"), MeterPrice.perUnit("gpu_seconds", "0.45"));
        fixture = new AggregateTestFixture<>(Account.class);
        fixture.registerInjectableResource(LedgerSettings.withClock(Clock.fixed(NOW, ZoneOffset.UTC)));
        fixture.registerInjectableResource(plans);
    }

    @Nested
    class Opening {

        @Test
        void canOpenAnAccountWithTheDefaultAnchorAndBillingStart() {
            fixture.givenNoPriorActivity()
                    .when(new OpenAccount(ACME, "Acme Inc", "USD", PLAN, null, null, null, "billing@acme.test"))
                    .expectResultMessagePayloadMatching(accepted())
                    .expectEventsMatching(exactly(new AccountOpened(ACME, "Acme Inc", "USD", PLAN, 1, MARCH, null,
                            "billing@acme.test", NOW)));
        }

        @Test
        void canOpenAnAccountBilledFromTheStartOfThePeriodOfItsAnchorDay() {
            fixture.givenNoPriorActivity()
                    .when(new OpenAccount(ACME, "Acme Inc", "USD", PLAN, 15, null, null, null))
                    .expectEventsMatching(exactly(new AccountOpened(ACME, "Acme Inc", "USD", PLAN, 15,
                            Instant.parse("2026-02-15T00:00:00Z"), null, null, NOW)));
            fixture.givenNoPriorActivity()
                    .when(new OpenAccount(ACME, "Acme Inc", "USD", PLAN, 31, null, null, null))
                    .expectEventsMatching(exactly(new AccountOpened(ACME, "Acme Inc", "USD", PLAN, 31,
                            Instant.parse("2026-02-28T00:00:00Z"), null, null, NOW)));
        }

        @Test
        void canOpenAMigratedAccountBilledFromThePastWithALowBalanceThreshold() {
            Instant november = Instant.parse("2025-11-01T00:00:00Z");
            fixture.givenNoPriorActivity()
                    .when(new OpenAccount(ACME, "Acme Inc", "USD", PLAN, 1, november, usd("5"), null))
                    .expectResultMessagePayloadMatching(accepted())
                    .expectEventsMatching(exactly(new AccountOpened(ACME, "Acme Inc", "USD", PLAN, 1, november,
                            usd("5"), null, NOW)));
        }

        @Test
        void canOpenAnAccountWithItsOwnPaymentTermsOrTheDefaultThirtyDays() {
            fixture.givenNoPriorActivity()
                    .when(new OpenAccount(ACME, "Acme Inc", "USD", PLAN, null, null, null, null, 14))
                    .expectResultMessagePayloadMatching(accepted())
                    .expectEventsMatching(exactly(new AccountOpened(ACME, "Acme Inc", "USD", PLAN, 1, MARCH, null,
                            null, NOW, 14)));
            fixture.givenNoPriorActivity()
                    .when(new OpenAccount(ACME, "Acme Inc", "USD", PLAN, null, null, null, null, 0))
                    .expectEventsMatching(exactly(new AccountOpened(ACME, "Acme Inc", "USD", PLAN, 1, MARCH, null,
                            null, NOW, 0)));
            fixture.givenNoPriorActivity()
                    .when(new OpenAccount(ACME, "Acme Inc", "USD", PLAN, null, null, null, null, null))
                    .expectEventsMatching(exactly(new AccountOpened(ACME, "Acme Inc", "USD", PLAN, 1, MARCH, null,
                            null, NOW, 30)));
        }

        @Test
        void cannotOpenAnAccountWithPaymentTermsOutsideZeroToThreeHundredSixtyFiveDays() {
            for (int days : new int[] {-1, 366}) {
                fixture.givenNoPriorActivity()
                        .when(new OpenAccount(ACME, "Acme Inc", "USD", PLAN, null, null, null, null, days))
                        .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.INVALID_PAYMENT_TERMS))
                        .expectNoEvents();
            }
            fixture.givenNoPriorActivity()
                    .when(new OpenAccount(ACME, "Acme Inc", "USD", PLAN, null, null, null, null, 365))
                    .expectResultMessagePayloadMatching(accepted());
        }

        @Test
        void canAnswerDuplicateWhenTheSameAccountIsOpenedAgain() {
            fixture.given(opened())
                    .when(new OpenAccount(ACME, "Acme Inc", "USD", PLAN, null, null, null, "billing@acme.test"))
                    .expectResultMessagePayloadMatching(duplicate())
                    .expectNoEvents();
            fixture.given(opened())
                    .when(new OpenAccount(ACME, "Acme Inc", "USD", PLAN, 1, MARCH, null, "billing@acme.test"))
                    .expectResultMessagePayloadMatching(duplicate())
                    .expectNoEvents();
        }

        @Test
        void cannotOpenAnExistingAccountAgainWithDifferentContent() {
            for (OpenAccount different : List.of(
                    new OpenAccount(ACME, "Acme Corp", "USD", PLAN, null, null, null, "billing@acme.test"),
                    new OpenAccount(ACME, "Acme Inc", "EUR", "europe", null, null, null, "billing@acme.test"),
                    new OpenAccount(ACME, "Acme Inc", "USD", PLAN, 15, null, null, "billing@acme.test"),
                    new OpenAccount(ACME, "Acme Inc", "USD", PLAN, null, FEBRUARY, null, "billing@acme.test"),
                    new OpenAccount(ACME, "Acme Inc", "USD", PLAN, null, null, usd("5"), "billing@acme.test"),
                    new OpenAccount(ACME, "Acme Inc", "USD", PLAN, null, null, null, "billing@acme.test", 45))) {
                fixture.given(opened())
                        .when(different)
                        .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.ALREADY_EXISTS))
                        .expectNoEvents();
            }
        }

        @Test
        void cannotOpenAnAccountOnAnUnknownPlan() {
            fixture.givenNoPriorActivity()
                    .when(new OpenAccount(ACME, "Acme Inc", "USD", "no-such-plan", null, null, null, null))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.UNKNOWN_PLAN))
                    .expectNoEvents();
        }

        @Test
        void cannotOpenAnAccountInAnotherCurrencyThanItsPlan() {
            fixture.givenNoPriorActivity()
                    .when(new OpenAccount(ACME, "Acme Inc", "EUR", PLAN, null, null, null, null))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.CURRENCY_MISMATCH))
                    .expectNoEvents();
            fixture.givenNoPriorActivity()
                    .when(new OpenAccount(ACME, "Acme Inc", "USD", "europe", null, null, null, null))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.CURRENCY_MISMATCH))
                    .expectNoEvents();
        }

        @Test
        void cannotOpenAnAccountInAnUnsupportedCurrency() {
            for (String currency : new String[] {"usd", "ABC", null}) {
                fixture.givenNoPriorActivity()
                        .when(new OpenAccount(ACME, "Acme Inc", currency, PLAN, null, null, null, null))
                        .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.UNSUPPORTED_CURRENCY))
                        .expectNoEvents();
            }
        }

        @Test
        void cannotOpenAnAccountAnchoredOutsideOneToThirtyOne() {
            for (int anchorDay : new int[] {0, 32, -1}) {
                fixture.givenNoPriorActivity()
                        .when(new OpenAccount(ACME, "Acme Inc", "USD", PLAN, anchorDay, null, null, null))
                        .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.INVALID_BILLING_ANCHOR))
                        .expectNoEvents();
            }
        }

        @Test
        void cannotOpenAnAccountWithAThresholdInAnotherCurrencyOrBelowZero() {
            fixture.givenNoPriorActivity()
                    .when(new OpenAccount(ACME, "Acme Inc", "USD", PLAN, null, null, Money.of("EUR", "5"), null))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.CURRENCY_MISMATCH))
                    .expectNoEvents();
            fixture.givenNoPriorActivity()
                    .when(new OpenAccount(ACME, "Acme Inc", "USD", PLAN, null, null, usd("-0.01"), null))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.INVALID_AMOUNT))
                    .expectNoEvents();
        }
    }

    @Nested
    class Usage {

        @Test
        void canRecordUsageWithItsExactAccrualAndCumulativeQuantity() {
            fixture.given(opened())
                    .when(record(usage("u1", "images", "8", TS), usage("u2", "images", "5", TS)))
                    .expectResultMessagePayloadMatching(usageOutcomes(UsageOutcome.accepted("u1"),
                            UsageOutcome.accepted("u2")))
                    .expectEventsMatching(exactly(batch(
                            // f(8) = 8 × 1.00 + 5 flat
                            recorded("u1", "images", "8", TS, "8", "13", uncovered("13")),
                            // f(13) − f(8) = (10 + 5 + 3 × 0.50) − 13
                            recorded("u2", "images", "5", TS, "13", "3.5", uncovered("3.5")))));
        }

        @Test
        void canContinueThePeriodsCumulativeQuantityFromEarlierBatches() {
            fixture.given(opened(), recorded("u1", "images", "8", TS, "8", "13", uncovered("13")))
                    .when(record(usage("u2", "images", "5", TS)))
                    .expectEventsMatching(exactly(recorded("u2", "images", "5", TS, "13", "3.5", uncovered("3.5"))));
        }

        @Test
        void canStartEachPeriodsCumulativeQuantityFromZero() {
            Instant february20 = Instant.parse("2026-02-20T00:00:00Z");
            fixture.given(opened(FEBRUARY, null), recorded("u1", "images", "8", february20, "8", "13", uncovered("13")))
                    .when(record(usage("u2", "images", "5", TS)))
                    .expectEventsMatching(exactly(recorded("u2", "images", "5", TS, "5", "10", uncovered("10"))));
        }

        @Test
        void canPriceUsageByThePlanVersionInForceAtItsTimestamp() {
            plans.publish(PLAN, "USD", Instant.parse("2026-03-05T00:00:00Z"), MeterPrice.perUnit("gpu_seconds", "0.40"));
            Instant march2 = Instant.parse("2026-03-02T00:00:00Z");
            Instant march3 = Instant.parse("2026-03-03T00:00:00Z");
            fixture.given(opened(), recorded("u1", "gpu_seconds", "10", march2, "10", "5", uncovered("5")))
                    .when(record(usage("u2", "gpu_seconds", "10", TS), usage("u3", "gpu_seconds", "2", march3)))
                    .expectEventsMatching(exactly(batch(
                            // version 2: 20 × 0.40 − 10 × 0.40; the period's quantity keeps counting across versions
                            recordedUnder(2, "u2", "gpu_seconds", "10", TS, "20", "4", uncovered("4")),
                            // version 1 for usage timestamped before version 2 took effect: 22 × 0.50 − 20 × 0.50
                            recordedUnder(1, "u3", "gpu_seconds", "2", march3, "22", "1", uncovered("1")))));
        }

        @Test
        void canRecordUsageThatAccruesNothingInsideAStartedPackage() {
            fixture.given(opened())
                    .when(record(usage("u1", "exports", "50", TS), usage("u2", "exports", "30", TS)))
                    .expectEventsMatching(exactly(batch(
                            recorded("u1", "exports", "50", TS, "50", "3", uncovered("3")),
                            recorded("u2", "exports", "30", TS, "80", "0", uncovered("0")))));
        }

        @Test
        void canAcceptUsageAtTheEdgesOfTheTimestampWindow() {
            Instant fiveMinutesAhead = NOW.plus(Duration.ofMinutes(5));
            Instant backfillLimit = NOW.minus(Duration.ofDays(90));
            Instant december = Instant.parse("2025-12-01T00:00:00Z");
            fixture.given(opened(december, null))
                    .when(record(usage("ahead", "gpu_seconds", "1", fiveMinutesAhead),
                            usage("oldest", "gpu_seconds", "1", backfillLimit)))
                    .expectResultMessagePayloadMatching(usageOutcomes(UsageOutcome.accepted("ahead"),
                            UsageOutcome.accepted("oldest")))
                    .expectEventsMatching(exactly(batch(
                            recorded("ahead", "gpu_seconds", "1", fiveMinutesAhead, "1", "0.5", uncovered("0.5")),
                            recorded("oldest", "gpu_seconds", "1", backfillLimit, "1", "0.5", uncovered("0.5")))));
        }

        @Test
        void canAnswerDuplicateForARetriedUsageEventAndChangeNothing() {
            fixture.given(opened(), recorded("u1", "gpu_seconds", "4", TS, "4", "2", uncovered("2")))
                    .when(record(usage("u1", "gpu_seconds", "4", TS), usage("u1", "gpu_seconds", "4.000", TS)))
                    .expectResultMessagePayloadMatching(usageOutcomes(UsageOutcome.duplicate("u1"),
                            UsageOutcome.duplicate("u1")))
                    .expectNoEvents();
        }

        @Test
        void canReuseTheKeyOfARejectedSubmission() {
            fixture.given(opened())
                    .when(record(usage("u1", "gpu_seconds", "-4", TS), usage("u1", "gpu_seconds", "4", TS)))
                    .expectResultMessagePayloadMatching(usageOutcomes(rejected("u1", ErrorCode.NEGATIVE_QUANTITY),
                            UsageOutcome.accepted("u1")))
                    .expectEventsMatching(exactly(recorded("u1", "gpu_seconds", "4", TS, "4", "2", uncovered("2"))));
        }

        @Test
        void canAnswerDuplicateForAKeyRepeatedInOneBatch() {
            fixture.given(opened())
                    .when(record(usage("u1", "gpu_seconds", "4", TS), usage("u1", "gpu_seconds", "4", TS)))
                    .expectResultMessagePayloadMatching(usageOutcomes(UsageOutcome.accepted("u1"),
                            UsageOutcome.duplicate("u1")))
                    .expectEventsMatching(exactly(recorded("u1", "gpu_seconds", "4", TS, "4", "2", uncovered("2"))));
        }

        @Test
        void cannotReuseAnIdempotencyKeyForDifferentUsage() {
            fixture.given(opened(), recorded("u1", "gpu_seconds", "4", TS, "4", "2", uncovered("2")))
                    .when(record(
                            usage("u1", "gpu_seconds", "5", TS),
                            usage("u1", "images", "4", TS),
                            usage("u1", "gpu_seconds", "4", TS.plusSeconds(1)),
                            new UsageSubmission("u1", "gpu_seconds", new BigDecimal("4"), TS, Map.of("region", "us"))))
                    .expectResultMessagePayloadMatching(usageOutcomes(
                            conflict("u1"), conflict("u1"), conflict("u1"), conflict("u1")))
                    .expectNoEvents();
        }

        @Test
        void cannotRecordUsageWithMissingFields() {
            fixture.given(opened())
                    .when(record(
                            new UsageSubmission(null, "gpu_seconds", BigDecimal.ONE, TS, null),
                            new UsageSubmission("", "gpu_seconds", BigDecimal.ONE, TS, null),
                            new UsageSubmission("no-meter", null, BigDecimal.ONE, TS, null),
                            new UsageSubmission("empty-meter", "", BigDecimal.ONE, TS, null),
                            new UsageSubmission("no-quantity", "gpu_seconds", null, TS, null),
                            new UsageSubmission("no-timestamp", "gpu_seconds", BigDecimal.ONE, null, null)))
                    .expectResultMessagePayloadMatching(usageOutcomes(
                            rejected(null, ErrorCode.MISSING_FIELD),
                            rejected("", ErrorCode.MISSING_FIELD),
                            rejected("no-meter", ErrorCode.MISSING_FIELD),
                            rejected("empty-meter", ErrorCode.MISSING_FIELD),
                            rejected("no-quantity", ErrorCode.MISSING_FIELD),
                            rejected("no-timestamp", ErrorCode.MISSING_FIELD)))
                    .expectNoEvents();
        }

        @Test
        void cannotRecordUsageWithAKeyLongerThan255Characters() {
            String longest = "k".repeat(255);
            String tooLong = "k".repeat(256);
            fixture.given(opened())
                    .when(record(usage(tooLong, "gpu_seconds", "1", TS), usage(longest, "gpu_seconds", "1", TS)))
                    .expectResultMessagePayloadMatching(usageOutcomes(
                            rejected(tooLong, ErrorCode.INVALID_IDEMPOTENCY_KEY), UsageOutcome.accepted(longest)))
                    .expectEventsMatching(exactly(recorded(longest, "gpu_seconds", "1", TS, "1", "0.5", uncovered("0.5"))));
        }

        @Test
        void cannotRecordANegativeQuantity() {
            fixture.given(opened())
                    .when(record(usage("u1", "gpu_seconds", "-0.001", TS)))
                    .expectResultMessagePayloadMatching(usageOutcomes(rejected("u1", ErrorCode.NEGATIVE_QUANTITY)))
                    .expectNoEvents();
        }

        @Test
        void cannotRecordAQuantityWithMoreDigitsThanTheLedgerKeeps() {
            fixture.given(opened())
                    .when(record(usage("u1", "gpu_seconds", "0.0000000000000000001", TS),
                            usage("u2", "gpu_seconds", "10000000000000000000", TS)))
                    .expectResultMessagePayloadMatching(usageOutcomes(rejected("u1", ErrorCode.INVALID_QUANTITY),
                            rejected("u2", ErrorCode.INVALID_QUANTITY)))
                    .expectNoEvents();
        }

        @Test
        void cannotRecordUsageMoreThanFiveMinutesAhead() {
            fixture.given(opened())
                    .when(record(usage("u1", "gpu_seconds", "1", NOW.plus(Duration.ofMinutes(5)).plusNanos(1))))
                    .expectResultMessagePayloadMatching(usageOutcomes(rejected("u1", ErrorCode.TIMESTAMP_IN_FUTURE)))
                    .expectNoEvents();
        }

        @Test
        void cannotRecordUsageOlderThanTheBackfillWindow() {
            fixture.given(opened(Instant.parse("2025-12-01T00:00:00Z"), null))
                    .when(record(usage("u1", "gpu_seconds", "1", NOW.minus(Duration.ofDays(90)).minusNanos(1))))
                    .expectResultMessagePayloadMatching(usageOutcomes(rejected("u1", ErrorCode.TIMESTAMP_TOO_OLD)))
                    .expectNoEvents();
        }

        @Test
        void cannotRecordUsageBeforeTheAccountsBillingStart() {
            fixture.given(opened())
                    .when(record(usage("before", "gpu_seconds", "1", MARCH.minusNanos(1)),
                            usage("at", "gpu_seconds", "1", MARCH)))
                    .expectResultMessagePayloadMatching(usageOutcomes(
                            rejected("before", ErrorCode.TIMESTAMP_BEFORE_BILLING_START), UsageOutcome.accepted("at")))
                    .expectEventsMatching(exactly(recorded("at", "gpu_seconds", "1", MARCH, "1", "0.5", uncovered("0.5"))));
        }

        @Test
        void cannotRecordUsageOfAMeterThePlanDoesNotPrice() {
            fixture.given(opened())
                    .when(record(usage("u1", "videos", "1", TS)))
                    .expectResultMessagePayloadMatching(usageOutcomes(rejected("u1", ErrorCode.UNKNOWN_METER)))
                    .expectNoEvents();
        }

        @Test
        void cannotRecordUsageTimestampedBeforeThePlansFirstVersion() {
            Instant march5 = Instant.parse("2026-03-05T00:00:00Z");
            plans.publish("fresh", "USD", march5, MeterPrice.perUnit("gpu_seconds", "0.50"));
            AccountOpened onFreshPlan = new AccountOpened(ACME, "Acme Inc", "USD", "fresh", 1, MARCH, null, null, MARCH);
            fixture.given(onFreshPlan)
                    .when(record(usage("u1", "gpu_seconds", "1", march5.minusNanos(1)),
                            usage("u2", "gpu_seconds", "1", march5)))
                    .expectResultMessagePayloadMatching(usageOutcomes(
                            rejected("u1", ErrorCode.NO_PLAN_VERSION_IN_FORCE), UsageOutcome.accepted("u2")))
                    .expectEventsMatching(exactly(new UsageRecorded(ACME, "u2", "gpu_seconds", new BigDecimal("1"),
                            march5, PROPERTIES, MARCH, "fresh", 1, new BigDecimal("1"), usd("0.5"), uncovered("0.5"),
                            false, NOW)));
        }

        @Test
        void cannotRecordUsageWithPropertiesThatAreNotAFlatObjectOfAtMost4KiB() {
            Map<String, Object> tooMany = new HashMap<>();
            for (int index = 0; index < 65; index++) {
                tooMany.put("p" + index, index);
            }
            List<Map<String, Object>> invalid = List.of(
                    Map.of("nested", Map.of("a", 1)),
                    Map.of("list", List.of(1, 2)),
                    Map.of("flag", true),
                    Map.of("blob", "x".repeat(4096)),
                    tooMany);
            for (Map<String, Object> properties : invalid) {
                fixture.given(opened())
                        .when(record(new UsageSubmission("u1", "gpu_seconds", BigDecimal.ONE, TS, properties)))
                        .expectResultMessagePayloadMatching(usageOutcomes(rejected("u1", ErrorCode.INVALID_PROPERTIES)))
                        .expectNoEvents();
            }
        }

        @Test
        void canKnowEveryUsageOfARecordedBatchWhenItsHistoryIsReplayed() {
            fixture.given(opened(), batch(recorded("u1", "gpu_seconds", "2", TS, "2", "1", uncovered("1")),
                            recorded("u2", "gpu_seconds", "4", TS, "6", "2", uncovered("2"))))
                    .when(record(usage("u2", "gpu_seconds", "4", TS), usage("u1", "gpu_seconds", "3", TS),
                            usage("u3", "gpu_seconds", "2", TS)))
                    .expectResultMessagePayloadMatching(usageOutcomes(UsageOutcome.duplicate("u2"),
                            rejected("u1", ErrorCode.IDEMPOTENCY_CONFLICT), UsageOutcome.accepted("u3")))
                    .expectEventsMatching(exactly(recorded("u3", "gpu_seconds", "2", TS, "8", "1", uncovered("1"))));
        }

        @Test
        void canJudgeEachSubmissionOfABatchOnItsOwn() {
            fixture.given(opened())
                    .when(record(usage("u1", "gpu_seconds", "2", TS), usage("u2", "videos", "1", TS),
                            usage("u3", "gpu_seconds", "4", TS)))
                    .expectResultMessagePayloadMatching(usageOutcomes(UsageOutcome.accepted("u1"),
                            rejected("u2", ErrorCode.UNKNOWN_METER), UsageOutcome.accepted("u3")))
                    .expectEventsMatching(exactly(batch(
                            recorded("u1", "gpu_seconds", "2", TS, "2", "1", uncovered("1")),
                            recorded("u3", "gpu_seconds", "4", TS, "6", "2", uncovered("2")))));
        }

        @Test
        void cannotRecordUsageForAnAccountNeverOpened() {
            fixture.givenNoPriorActivity()
                    .when(record(usage("u1", "gpu_seconds", "1", TS)))
                    .expectException(AggregateNotFoundException.class);
        }
    }

    @Nested
    class Drawdown {

        @Test
        void canDrawEarliestExpiryFirstThenLowerPriorityThenOlderGrants() {
            fixture.given(opened(),
                            granted("no-expiry-old", "10", CreditKind.PREPAID, MARCH, null, 100),
                            granted("june", "10", CreditKind.PREPAID, MARCH, JUNE, 100),
                            granted("no-expiry-urgent", "10", CreditKind.PREPAID, MARCH, null, 50),
                            granted("april-promo", "10", CreditKind.PROMOTIONAL, MARCH, APRIL, 200),
                            granted("no-expiry-new", "10", CreditKind.PREPAID, MARCH, null, 100),
                            granted("april-prepaid", "10", CreditKind.PREPAID, MARCH, APRIL, 100))
                    .when(record(usage("u1", "gpu_seconds", "110", TS)))
                    .expectEventsMatching(exactly(recorded("u1", "gpu_seconds", "110", TS, "110", "55", drawn("0",
                            movement("april-prepaid", "10"),
                            movement("april-promo", "10"),
                            movement("june", "10"),
                            movement("no-expiry-urgent", "10"),
                            movement("no-expiry-old", "10"),
                            movement("no-expiry-new", "5")))));
        }

        @Test
        void canLeaveWhatNoGrantCoversUncovered() {
            fixture.given(opened(), prepaid("a", "10"), prepaid("b", "5"))
                    .when(record(usage("u1", "gpu_seconds", "40", TS)))
                    .expectEventsMatching(exactly(
                            recorded("u1", "gpu_seconds", "40", TS, "40", "20",
                                    drawn("5", movement("a", "10"), movement("b", "5"))),
                            new CreditBalanceDepleted(ACME, NOW)));
        }

        @Test
        void canDrawOnlyGrantsUsableAtTheUsagesTimestamp() {
            Instant expiryAfterUsage = Instant.parse("2026-03-09T12:00:00Z");
            fixture.given(opened(),
                            granted("starts-after-usage", "10", CreditKind.PREPAID, TS.plusSeconds(1),
                                    Instant.parse("2026-03-20T00:00:00Z"), 100),
                            granted("ends-at-usage", "10", CreditKind.PREPAID, MARCH, TS, 100),
                            granted("voided", "10", CreditKind.PREPAID, MARCH, Instant.parse("2026-03-15T00:00:00Z"), 1),
                            new CreditVoided(ACME, "voided", CreditKind.PREPAID, usd("10"), "entered twice", NOW),
                            granted("expired", "10", CreditKind.PROMOTIONAL, MARCH, expiryAfterUsage, 1),
                            new CreditExpired(ACME, "expired", CreditKind.PROMOTIONAL, usd("10"), expiryAfterUsage, NOW),
                            granted("starts-at-usage", "10", CreditKind.PREPAID, TS, JUNE, 100))
                    .when(record(usage("u1", "gpu_seconds", "8", TS)))
                    .expectEventsMatching(exactly(
                            recorded("u1", "gpu_seconds", "8", TS, "8", "4", drawn("0", movement("starts-at-usage", "4")))));
        }

        @Test
        void canFundUsageFromGrantsRestoredToItEarlier() {
            // A restored grant is usable again: the next positive accrual draws it first, since it is the only grant.
            fixture.given(opened(), prepaid("g", "8"),
                            recorded("u1", "tokens", "10", TS, "10", "10", drawn("2", movement("g", "8"))),
                            new CreditBalanceDepleted(ACME, NOW),
                            recorded("u2", "tokens", "2", TS, "12", "-4", restored("-2", movement("g", "2"))))
                    .when(record(usage("u3", "gpu_seconds", "2", TS)))
                    .expectEventsMatching(exactly(
                            recorded("u3", "gpu_seconds", "2", TS, "2", "1", drawn("0", movement("g", "1")))));
        }
    }

    @Nested
    class Restoration {

        @Test
        void canReduceTheUncoveredAmountBeforeRestoringAnyGrant() {
            fixture.given(opened(), prepaid("g", "5"),
                            recorded("u1", "tokens", "10", TS, "10", "10", drawn("5", movement("g", "5"))),
                            new CreditBalanceDepleted(ACME, NOW))
                    .when(record(usage("u2", "tokens", "1", TS)))
                    // f(11) − f(10) = 5.50 − 10; the period still had 5 uncovered
                    .expectEventsMatching(exactly(recorded("u2", "tokens", "1", TS, "11", "-4.5", restored("-4.5"))));
        }

        @Test
        void canRestoreGrantsOnceTheUncoveredAmountIsZero() {
            fixture.given(opened(), prepaid("g", "8"),
                            recorded("u1", "tokens", "10", TS, "10", "10", drawn("2", movement("g", "8"))),
                            new CreditBalanceDepleted(ACME, NOW))
                    .when(record(usage("u2", "tokens", "2", TS)))
                    .expectEventsMatching(exactly(
                            recorded("u2", "tokens", "2", TS, "12", "-4", restored("-2", movement("g", "2")))));
        }

        @Test
        void canRestoreTheMostRecentlyDrawnGrantFirst() {
            fixture.given(opened(),
                            granted("a", "5", CreditKind.PREPAID, MARCH, APRIL, 100),
                            prepaid("b", "10"),
                            recorded("u1", "tokens", "4", TS, "4", "4", drawn("0", movement("a", "4"))),
                            recorded("u2", "tokens", "6", TS, "10", "6", drawn("0", movement("a", "1"), movement("b", "5"))))
                    .when(record(usage("u3", "tokens", "2", TS)))
                    .expectEventsMatching(exactly(
                            recorded("u3", "tokens", "2", TS, "12", "-4", restored("0", movement("b", "4")))));
        }

        @Test
        void canSkipVoidedGrantsWhenRestoring() {
            fixture.given(opened(),
                            granted("a", "5", CreditKind.PREPAID, MARCH, APRIL, 100),
                            prepaid("b", "10"),
                            recorded("u1", "tokens", "4", TS, "4", "4", drawn("0", movement("a", "4"))),
                            recorded("u2", "tokens", "6", TS, "10", "6", drawn("0", movement("a", "1"), movement("b", "5"))),
                            new CreditVoided(ACME, "b", CreditKind.PREPAID, usd("5"), "entered twice", NOW),
                            new CreditBalanceDepleted(ACME, NOW))
                    .when(record(usage("u3", "tokens", "2", TS)))
                    // newest draw first: b is voided, then a's draw of 1, then a's draw of 4 (3 of it)
                    .expectEventsMatching(exactly(recorded("u3", "tokens", "2", TS, "12", "-4",
                            restored("0", movement("a", "1"), movement("a", "3")))));
        }

        @Test
        void canSkipExpiredGrantsWhenRestoring() {
            Instant yEffective = Instant.parse("2026-03-09T09:00:00Z");
            Instant yExpires = Instant.parse("2026-03-09T11:00:00Z");
            fixture.given(opened(),
                            prepaid("x", "10"),
                            granted("y", "10", CreditKind.PROMOTIONAL, yEffective, yExpires, 100),
                            recorded("u1", "tokens", "4", Instant.parse("2026-03-09T08:00:00Z"), "4", "4",
                                    drawn("0", movement("x", "4"))),
                            recorded("u2", "tokens", "6", TS, "10", "6", drawn("0", movement("y", "6"))),
                            new CreditExpired(ACME, "y", CreditKind.PROMOTIONAL, usd("4"), yExpires, NOW))
                    .when(record(usage("u3", "tokens", "2", Instant.parse("2026-03-09T10:30:00Z"))))
                    .expectEventsMatching(exactly(recorded("u3", "tokens", "2", Instant.parse("2026-03-09T10:30:00Z"),
                            "12", "-4", restored("0", movement("x", "4")))));
        }

        @Test
        void canTakeTheRestBelowZeroWhenNoGrantCanBeRestored() {
            fixture.given(opened(),
                            granted("v", "7", CreditKind.PREPAID, MARCH, null, 50),
                            prepaid("g", "3"),
                            recorded("u1", "tokens", "10", TS, "10", "10", drawn("0", movement("v", "7"), movement("g", "3"))),
                            new CreditBalanceDepleted(ACME, NOW),
                            new CreditVoided(ACME, "v", CreditKind.PREPAID, usd("0"), "entered twice", NOW))
                    .when(record(usage("u2", "tokens", "2", TS)))
                    .expectEventsMatching(exactly(
                            recorded("u2", "tokens", "2", TS, "12", "-4", restored("-1", movement("g", "3")))));
        }

        @Test
        void canRestoreOnlyDrawsMadeInTheSamePeriod() {
            Instant february20 = Instant.parse("2026-02-20T00:00:00Z");
            fixture.given(opened(FEBRUARY, null),
                            granted("g", "10", CreditKind.PREPAID, FEBRUARY, null, 100),
                            granted("h", "10", CreditKind.PREPAID, MARCH, null, 100),
                            recorded("u1", "tokens", "10", february20, "10", "10", drawn("0", movement("g", "10"))),
                            recorded("u2", "tokens", "10", TS, "10", "10", drawn("0", movement("h", "10"))),
                            new CreditBalanceDepleted(ACME, NOW))
                    .when(record(usage("u3", "tokens", "2", february20.plusSeconds(60))))
                    .expectEventsMatching(exactly(recorded("u3", "tokens", "2", february20.plusSeconds(60), "12", "-4",
                            restored("0", movement("g", "4")))));
        }
    }

    @Nested
    class Credits {

        @Test
        void canGrantCreditWithDefaults() {
            fixture.given(opened())
                    .when(new GrantCredit(ACME, "g1", usd("100"), CreditKind.PREPAID, null, null, null, "Top-up"))
                    .expectResultMessagePayloadMatching(accepted())
                    .expectEventsMatching(exactly(new CreditGranted(ACME, "g1", usd("100"), CreditKind.PREPAID, NOW,
                            null, 100, "Top-up", NOW)));
        }

        @Test
        void canGrantCreditWithAWindowAndAPriority() {
            fixture.given(opened())
                    .when(new GrantCredit(ACME, "g1", usd("20"), CreditKind.PROMOTIONAL, MARCH, APRIL, 10, "Launch"))
                    .expectResultMessagePayloadMatching(accepted())
                    .expectEventsMatching(exactly(new CreditGranted(ACME, "g1", usd("20"), CreditKind.PROMOTIONAL,
                            MARCH, APRIL, 10, "Launch", NOW)));
        }

        @Test
        void canAnswerDuplicateForTheSameGrantAgain() {
            fixture.given(opened(), new CreditGranted(ACME, "g1", usd("20"), CreditKind.PROMOTIONAL, MARCH, APRIL, 10,
                            "Launch", MARCH))
                    .when(new GrantCredit(ACME, "g1", usd("20.00"), CreditKind.PROMOTIONAL, MARCH, APRIL, 10, "Launch"))
                    .expectResultMessagePayloadMatching(duplicate())
                    .expectNoEvents();
        }

        @Test
        void cannotGrantAnExistingGrantIdWithDifferentContent() {
            CreditGranted existing = new CreditGranted(ACME, "g1", usd("20"), CreditKind.PROMOTIONAL, MARCH, APRIL, 10,
                    "Launch", MARCH);
            for (GrantCredit different : List.of(
                    new GrantCredit(ACME, "g1", usd("21"), CreditKind.PROMOTIONAL, MARCH, APRIL, 10, "Launch"),
                    new GrantCredit(ACME, "g1", usd("20"), CreditKind.PREPAID, MARCH, APRIL, 10, "Launch"),
                    new GrantCredit(ACME, "g1", usd("20"), CreditKind.PROMOTIONAL, MARCH, JUNE, 10, "Launch"),
                    new GrantCredit(ACME, "g1", usd("20"), CreditKind.PROMOTIONAL, MARCH, APRIL, null, "Launch"))) {
                fixture.given(opened(), existing)
                        .when(different)
                        .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.ALREADY_EXISTS))
                        .expectNoEvents();
            }
        }

        @Test
        void cannotGrantInvalidCredit() {
            Map<GrantCredit, ErrorCode> invalid = Map.of(
                    new GrantCredit(ACME, null, usd("10"), CreditKind.PREPAID, null, null, null, null), ErrorCode.MISSING_FIELD,
                    new GrantCredit(ACME, " ", usd("10"), CreditKind.PREPAID, null, null, null, null), ErrorCode.MISSING_FIELD,
                    new GrantCredit(ACME, "g1", null, CreditKind.PREPAID, null, null, null, null), ErrorCode.MISSING_FIELD,
                    new GrantCredit(ACME, "g1", usd("0"), CreditKind.PREPAID, null, null, null, null), ErrorCode.INVALID_AMOUNT,
                    new GrantCredit(ACME, "g1", usd("-10"), CreditKind.PREPAID, null, null, null, null), ErrorCode.INVALID_AMOUNT,
                    new GrantCredit(ACME, "g1", Money.of("EUR", "10"), CreditKind.PREPAID, null, null, null, null),
                    ErrorCode.CURRENCY_MISMATCH,
                    new GrantCredit(ACME, "g1", usd("10"), null, null, null, null, null), ErrorCode.MISSING_FIELD,
                    new GrantCredit(ACME, "g1", usd("10"), CreditKind.PREPAID, APRIL, APRIL, null, null),
                    ErrorCode.INVALID_GRANT_WINDOW,
                    new GrantCredit(ACME, "g1", usd("10"), CreditKind.PREPAID, null, NOW, null, null),
                    ErrorCode.INVALID_GRANT_WINDOW);
            invalid.forEach((command, code) -> fixture.given(opened())
                    .when(command)
                    .expectResultMessagePayloadMatching(rejectedWith(code))
                    .expectNoEvents());
        }

        @Test
        void canVoidAGrantForfeitingWhatRemainsOfIt() {
            fixture.given(opened(), prepaid("g", "10"), promotional("h", "5"),
                            recorded("u1", "gpu_seconds", "8", TS, "8", "4", drawn("0", movement("g", "4"))))
                    .when(new VoidCredit(ACME, "g", "entered twice"))
                    .expectResultMessagePayloadMatching(accepted())
                    .expectEventsMatching(exactly(
                            new CreditVoided(ACME, "g", CreditKind.PREPAID, usd("6"), "entered twice", NOW)));
        }

        @Test
        void canRecordDepletionWhenTheLastGrantIsVoided() {
            fixture.given(opened(), promotional("h", "5"))
                    .when(new VoidCredit(ACME, "h", "campaign cancelled"))
                    .expectEventsMatching(exactly(
                            new CreditVoided(ACME, "h", CreditKind.PROMOTIONAL, usd("5"), "campaign cancelled", NOW),
                            new CreditBalanceDepleted(ACME, NOW)));
        }

        @Test
        void canAnswerDuplicateWhenVoidingAVoidedGrant() {
            fixture.given(opened(), prepaid("g", "10"), prepaid("h", "10"),
                            new CreditVoided(ACME, "g", CreditKind.PREPAID, usd("10"), "entered twice", NOW))
                    .when(new VoidCredit(ACME, "g", "entered twice"))
                    .expectResultMessagePayloadMatching(duplicate())
                    .expectNoEvents();
        }

        @Test
        void cannotVoidAnUnknownGrant() {
            fixture.given(opened(), prepaid("g", "10"))
                    .when(new VoidCredit(ACME, "nope", "typo"))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.UNKNOWN_GRANT))
                    .expectNoEvents();
        }

        @Test
        void cannotVoidAnExpiredGrant() {
            fixture.given(opened(), granted("g", "10", CreditKind.PROMOTIONAL, MARCH, TS, 100),
                            new CreditExpired(ACME, "g", CreditKind.PROMOTIONAL, usd("10"), TS, NOW),
                            new CreditBalanceDepleted(ACME, NOW))
                    .when(new VoidCredit(ACME, "g", "too late"))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.GRANT_NOT_ACTIVE))
                    .expectNoEvents();
        }

        @Test
        void cannotExpireAGrantBeforeItsExpiry() {
            fixture.given(opened(), granted("g", "10", CreditKind.PROMOTIONAL, MARCH, NOW.plusNanos(1), 100),
                            prepaid("forever", "10"))
                    .when(new ExpireCredit(ACME, "g"))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.GRANT_NOT_EXPIRED_YET))
                    .expectNoEvents();
            fixture.given(opened(), prepaid("forever", "10"))
                    .when(new ExpireCredit(ACME, "forever"))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.GRANT_NOT_EXPIRED_YET))
                    .expectNoEvents();
        }

        @Test
        void canExpireAGrantOnceItsExpiryHasPassed() {
            Instant midnight = Instant.parse("2026-03-10T00:00:00Z");
            fixture.given(opened(), granted("g", "10", CreditKind.PROMOTIONAL, MARCH, midnight, 100),
                            prepaid("h", "5"),
                            recorded("u1", "gpu_seconds", "8", TS, "8", "4", drawn("0", movement("g", "4"))))
                    .when(new ExpireCredit(ACME, "g"))
                    .expectResultMessagePayloadMatching(accepted())
                    .expectEventsMatching(exactly(
                            new CreditExpired(ACME, "g", CreditKind.PROMOTIONAL, usd("6"), midnight, NOW)));
        }

        @Test
        void canExpireAGrantAtItsExactExpiryAndRecordDepletion() {
            fixture.given(opened(), granted("g", "10", CreditKind.PREPAID, MARCH, NOW, 100))
                    .when(new ExpireCredit(ACME, "g"))
                    .expectEventsMatching(exactly(
                            new CreditExpired(ACME, "g", CreditKind.PREPAID, usd("10"), NOW, NOW),
                            new CreditBalanceDepleted(ACME, NOW)));
        }

        @Test
        void canAnswerDuplicateWhenExpiringAnExpiredOrVoidedGrant() {
            fixture.given(opened(), granted("g", "10", CreditKind.PROMOTIONAL, MARCH, TS, 100), prepaid("h", "5"),
                            new CreditExpired(ACME, "g", CreditKind.PROMOTIONAL, usd("10"), TS, NOW))
                    .when(new ExpireCredit(ACME, "g"))
                    .expectResultMessagePayloadMatching(duplicate())
                    .expectNoEvents();
            fixture.given(opened(), granted("g", "10", CreditKind.PROMOTIONAL, MARCH, TS, 100), prepaid("h", "5"),
                            new CreditVoided(ACME, "g", CreditKind.PROMOTIONAL, usd("10"), "cancelled", TS))
                    .when(new ExpireCredit(ACME, "g"))
                    .expectResultMessagePayloadMatching(duplicate())
                    .expectNoEvents();
        }

        @Test
        void cannotExpireAnUnknownGrant() {
            fixture.given(opened())
                    .when(new ExpireCredit(ACME, "nope"))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.UNKNOWN_GRANT))
                    .expectNoEvents();
        }
    }

    @Nested
    class BalanceWarnings {

        @Test
        void canRecordDepletionWhenUsageDrawsTheLastCredit() {
            fixture.given(opened(), prepaid("g", "10"))
                    .when(record(usage("u1", "gpu_seconds", "20", TS)))
                    .expectEventsMatching(exactly(
                            recorded("u1", "gpu_seconds", "20", TS, "20", "10", drawn("0", movement("g", "10"))),
                            new CreditBalanceDepleted(ACME, NOW)));
        }

        @Test
        void cannotRecordDepletionTwiceWithoutANewGrant() {
            fixture.given(opened(), prepaid("g", "10"),
                            recorded("u1", "gpu_seconds", "20", TS, "20", "10", drawn("0", movement("g", "10"))),
                            new CreditBalanceDepleted(ACME, NOW))
                    .when(record(usage("u2", "gpu_seconds", "2", TS)))
                    .expectEventsMatching(exactly(recorded("u2", "gpu_seconds", "2", TS, "22", "1", uncovered("1"))));
        }

        @Test
        void canRecordDepletionAgainAfterANewGrantIsUsedUp() {
            fixture.given(opened(), prepaid("g", "10"),
                            recorded("u1", "gpu_seconds", "20", TS, "20", "10", drawn("0", movement("g", "10"))),
                            new CreditBalanceDepleted(ACME, NOW),
                            prepaid("h", "5"))
                    .when(record(usage("u2", "gpu_seconds", "10", TS)))
                    .expectEventsMatching(exactly(
                            recorded("u2", "gpu_seconds", "10", TS, "30", "5", drawn("0", movement("h", "5"))),
                            new CreditBalanceDepleted(ACME, NOW)));
        }

        @Test
        void cannotRecordDepletionForAnAccountThatNeverHadCredit() {
            fixture.given(opened())
                    .when(record(usage("u1", "gpu_seconds", "2", TS)))
                    .expectEventsMatching(exactly(recorded("u1", "gpu_seconds", "2", TS, "2", "1", uncovered("1"))));
        }

        @Test
        void canRecordLowBalanceWhenTheBalanceFallsBelowTheThreshold() {
            fixture.given(opened(MARCH, usd("5")), prepaid("g", "10"))
                    .when(record(usage("u1", "gpu_seconds", "12", TS)))
                    .expectEventsMatching(exactly(
                            recorded("u1", "gpu_seconds", "12", TS, "12", "6", drawn("0", movement("g", "6"))),
                            new LowCreditBalance(ACME, usd("4"), usd("5"), NOW)));
        }

        @Test
        void cannotRecordLowBalanceTwiceForOneCrossing() {
            fixture.given(opened(MARCH, usd("5")), prepaid("g", "10"),
                            recorded("u1", "gpu_seconds", "12", TS, "12", "6", drawn("0", movement("g", "6"))),
                            new LowCreditBalance(ACME, usd("4"), usd("5"), NOW))
                    .when(record(usage("u2", "gpu_seconds", "2", TS)))
                    .expectEventsMatching(exactly(
                            recorded("u2", "gpu_seconds", "2", TS, "14", "1", drawn("0", movement("g", "1")))));
        }

        @Test
        void cannotRecordLowBalanceAgainAfterAGrantThatLeavesTheBalanceBelowTheThreshold() {
            fixture.given(opened(MARCH, usd("5")), prepaid("g", "10"),
                            recorded("u1", "gpu_seconds", "12", TS, "12", "6", drawn("0", movement("g", "6"))),
                            new LowCreditBalance(ACME, usd("4"), usd("5"), NOW),
                            prepaid("h", "0.5"))
                    .when(record(usage("u2", "gpu_seconds", "2", TS)))
                    .expectEventsMatching(exactly(
                            recorded("u2", "gpu_seconds", "2", TS, "14", "1", drawn("0", movement("g", "1")))));
        }

        @Test
        void canRecordLowBalanceAgainAfterAGrantLiftsTheBalanceAboveTheThreshold() {
            fixture.given(opened(MARCH, usd("5")), prepaid("g", "10"),
                            recorded("u1", "gpu_seconds", "12", TS, "12", "6", drawn("0", movement("g", "6"))),
                            new LowCreditBalance(ACME, usd("4"), usd("5"), NOW),
                            prepaid("h", "10"))
                    .when(record(usage("u2", "gpu_seconds", "20", TS)))
                    .expectEventsMatching(exactly(
                            recorded("u2", "gpu_seconds", "20", TS, "32", "10",
                                    drawn("0", movement("g", "4"), movement("h", "6"))),
                            new LowCreditBalance(ACME, usd("4"), usd("5"), NOW)));
        }

        @Test
        void canAnnounceLowBalanceRightAfterTheUsageOfABatchThatCrossedTheThreshold() {
            // The batch is split where the announcement falls, so the history reads as it would one event at a time.
            fixture.given(opened(MARCH, usd("5")), prepaid("g", "10"))
                    .when(record(usage("u1", "gpu_seconds", "4", TS), usage("u2", "gpu_seconds", "8", TS),
                            usage("u3", "gpu_seconds", "2", TS)))
                    .expectEventsMatching(exactly(
                            batch(recorded("u1", "gpu_seconds", "4", TS, "4", "2", drawn("0", movement("g", "2"))),
                                    recorded("u2", "gpu_seconds", "8", TS, "12", "4", drawn("0", movement("g", "4")))),
                            new LowCreditBalance(ACME, usd("4"), usd("5"), NOW),
                            recorded("u3", "gpu_seconds", "2", TS, "14", "1", drawn("0", movement("g", "1")))));
        }

        @Test
        void canRecordLowBalanceAndDepletionWhenUsageDrainsEverything() {
            fixture.given(opened(MARCH, usd("5")), prepaid("g", "10"))
                    .when(record(usage("u1", "gpu_seconds", "30", TS)))
                    .expectEventsMatching(exactly(
                            recorded("u1", "gpu_seconds", "30", TS, "30", "15", drawn("5", movement("g", "10"))),
                            new LowCreditBalance(ACME, usd("0"), usd("5"), NOW),
                            new CreditBalanceDepleted(ACME, NOW)));
        }
    }

    @Nested
    class Charges {

        @Test
        void canRecordAChargeFundedByCreditFirst() {
            fixture.given(opened(), prepaid("g", "10"))
                    .when(new RecordCharge(ACME, "c1", usd("15"), "Onboarding", null))
                    .expectResultMessagePayloadMatching(accepted())
                    .expectEventsMatching(exactly(
                            new ChargeRecorded(ACME, "c1", usd("15"), "Onboarding", NOW, MARCH,
                                    drawn("5", movement("g", "10")), NOW),
                            new CreditBalanceDepleted(ACME, NOW)));
        }

        @Test
        void canRecordAChargeInThePeriodOfItsTimestamp() {
            Instant february20 = Instant.parse("2026-02-20T00:00:00Z");
            fixture.given(opened(FEBRUARY, null), granted("later", "10", CreditKind.PREPAID, MARCH, null, 100))
                    .when(new RecordCharge(ACME, "c1", usd("15"), "Support", february20))
                    .expectEventsMatching(exactly(
                            new ChargeRecorded(ACME, "c1", usd("15"), "Support", february20, FEBRUARY, uncovered("15"), NOW)));
        }

        @Test
        void canRecordANegativeAdjustmentThatReducesTheUncoveredAmount() {
            fixture.given(opened(), new ChargeRecorded(ACME, "c1", usd("15"), "Onboarding", TS, MARCH, uncovered("15"), TS))
                    .when(new RecordCharge(ACME, "c2", usd("-5"), "Goodwill", null))
                    .expectResultMessagePayloadMatching(accepted())
                    .expectEventsMatching(exactly(
                            new ChargeRecorded(ACME, "c2", usd("-5"), "Goodwill", NOW, MARCH, restored("-5"), NOW)));
        }

        @Test
        void canRecordANegativeAdjustmentThatRestoresCredit() {
            fixture.given(opened(), prepaid("g", "10"),
                            new ChargeRecorded(ACME, "c1", usd("10"), "Onboarding", TS, MARCH,
                                    drawn("0", movement("g", "10")), TS),
                            new CreditBalanceDepleted(ACME, TS))
                    .when(new RecordCharge(ACME, "c2", usd("-4"), "Goodwill", TS))
                    .expectEventsMatching(exactly(
                            new ChargeRecorded(ACME, "c2", usd("-4"), "Goodwill", TS, MARCH,
                                    restored("0", movement("g", "4")), NOW)));
        }

        @Test
        void canAnswerDuplicateForTheSameChargeAgain() {
            fixture.given(opened(), new ChargeRecorded(ACME, "c1", usd("15"), "Onboarding", TS, MARCH, uncovered("15"), TS))
                    .when(new RecordCharge(ACME, "c1", usd("15.00"), "Onboarding", TS))
                    .expectResultMessagePayloadMatching(duplicate())
                    .expectNoEvents();
            fixture.given(opened(), new ChargeRecorded(ACME, "c1", usd("15"), "Onboarding", TS, MARCH, uncovered("15"), TS))
                    .when(new RecordCharge(ACME, "c1", usd("15"), "Onboarding", null))
                    .expectResultMessagePayloadMatching(duplicate())
                    .expectNoEvents();
        }

        @Test
        void cannotRecordAnExistingChargeIdWithDifferentContent() {
            fixture.given(opened(), new ChargeRecorded(ACME, "c1", usd("15"), "Onboarding", TS, MARCH, uncovered("15"), TS))
                    .when(new RecordCharge(ACME, "c1", usd("16"), "Onboarding", TS))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.ALREADY_EXISTS))
                    .expectNoEvents();
        }

        @Test
        void cannotRecordAnInvalidCharge() {
            Map<RecordCharge, ErrorCode> invalid = Map.of(
                    new RecordCharge(ACME, null, usd("15"), "x", null), ErrorCode.MISSING_FIELD,
                    new RecordCharge(ACME, "c1", null, "x", null), ErrorCode.MISSING_FIELD,
                    new RecordCharge(ACME, "c1", usd("0"), "x", null), ErrorCode.INVALID_AMOUNT,
                    new RecordCharge(ACME, "c1", Money.of("EUR", "15"), "x", null), ErrorCode.CURRENCY_MISMATCH,
                    new RecordCharge(ACME, "c1", usd("15"), "x", NOW.plus(Duration.ofMinutes(6))),
                    ErrorCode.TIMESTAMP_IN_FUTURE,
                    new RecordCharge(ACME, "c1", usd("15"), "x", MARCH.minusNanos(1)),
                    ErrorCode.TIMESTAMP_BEFORE_BILLING_START);
            invalid.forEach((command, code) -> fixture.given(opened())
                    .when(command)
                    .expectResultMessagePayloadMatching(rejectedWith(code))
                    .expectNoEvents());
        }
    }

    @Nested
    class Payments {

        @Test
        void canRecordAPaymentAsUnappliedCash() {
            fixture.given(opened())
                    .when(new RecordPayment(ACME, "p1", usd("50"), "card", "pi_123"))
                    .expectResultMessagePayloadMatching(accepted())
                    .expectEventsMatching(exactly(
                            new PaymentRecorded(ACME, "p1", usd("50"), "card", "pi_123", usd("50"), NOW)));
        }

        @Test
        void canAnswerDuplicateForTheSamePaymentAgain() {
            fixture.given(opened(), new PaymentRecorded(ACME, "p1", usd("50"), "card", "pi_123", usd("50"), TS))
                    .when(new RecordPayment(ACME, "p1", usd("50.00"), "card", "pi_123"))
                    .expectResultMessagePayloadMatching(duplicate())
                    .expectNoEvents();
        }

        @Test
        void cannotRecordAnExistingPaymentIdWithDifferentContent() {
            for (RecordPayment different : List.of(
                    new RecordPayment(ACME, "p1", usd("60"), "card", "pi_123"),
                    new RecordPayment(ACME, "p1", usd("50"), "bank_transfer", "pi_123"),
                    new RecordPayment(ACME, "p1", usd("50"), "card", null))) {
                fixture.given(opened(), new PaymentRecorded(ACME, "p1", usd("50"), "card", "pi_123", usd("50"), TS))
                        .when(different)
                        .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.ALREADY_EXISTS))
                        .expectNoEvents();
            }
        }

        @Test
        void cannotRecordAnInvalidPayment() {
            Map<RecordPayment, ErrorCode> invalid = Map.of(
                    new RecordPayment(ACME, "", usd("50"), "card", null), ErrorCode.MISSING_FIELD,
                    new RecordPayment(ACME, "p1", null, "card", null), ErrorCode.MISSING_FIELD,
                    new RecordPayment(ACME, "p1", usd("0"), "card", null), ErrorCode.INVALID_AMOUNT,
                    new RecordPayment(ACME, "p1", usd("-50"), "card", null), ErrorCode.INVALID_AMOUNT,
                    new RecordPayment(ACME, "p1", Money.of("EUR", "50"), "card", null), ErrorCode.CURRENCY_MISMATCH,
                    new RecordPayment(ACME, "p1", usd("50"), null, null), ErrorCode.MISSING_FIELD);
            invalid.forEach((command, code) -> fixture.given(opened())
                    .when(command)
                    .expectResultMessagePayloadMatching(rejectedWith(code))
                    .expectNoEvents());
        }

        @Test
        void canRefundPartOfAPaymentFromUnappliedCash() {
            fixture.given(opened(), new PaymentRecorded(ACME, "p1", usd("50"), "card", "pi_123", usd("50"), TS))
                    .when(new RefundPayment(ACME, "r1", "p1", usd("20")))
                    .expectResultMessagePayloadMatching(accepted())
                    .expectEventsMatching(exactly(new PaymentRefunded(ACME, "r1", "p1", usd("20"), usd("20"), NOW)));
        }

        @Test
        void canRefundExactlyWhatIsLeftOfAPayment() {
            fixture.given(opened(), new PaymentRecorded(ACME, "p1", usd("50"), "card", "pi_123", usd("50"), TS),
                            new PaymentRefunded(ACME, "r1", "p1", usd("40"), usd("40"), TS))
                    .when(new RefundPayment(ACME, "r2", "p1", usd("10")))
                    .expectEventsMatching(exactly(new PaymentRefunded(ACME, "r2", "p1", usd("10"), usd("10"), NOW)));
        }

        @Test
        void cannotRefundMoreThanIsLeftOfThePayment() {
            fixture.given(opened(), new PaymentRecorded(ACME, "p1", usd("50"), "card", "pi_123", usd("50"), TS),
                            new PaymentRefunded(ACME, "r1", "p1", usd("40"), usd("40"), TS))
                    .when(new RefundPayment(ACME, "r2", "p1", usd("10.01")))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.REFUND_EXCEEDS_PAYMENT))
                    .expectNoEvents();
            // other payments' unapplied cash does not make a payment refundable beyond its own amount
            fixture.given(opened(), new PaymentRecorded(ACME, "p1", usd("50"), "card", "pi_1", usd("50"), TS),
                            new PaymentRecorded(ACME, "p2", usd("50"), "card", "pi_2", usd("50"), TS))
                    .when(new RefundPayment(ACME, "r1", "p1", usd("60")))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.REFUND_EXCEEDS_PAYMENT))
                    .expectNoEvents();
        }

        @Test
        void cannotRefundAnUnknownPayment() {
            fixture.given(opened(), new PaymentRecorded(ACME, "p1", usd("50"), "card", "pi_123", usd("50"), TS))
                    .when(new RefundPayment(ACME, "r1", "p9", usd("20")))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.UNKNOWN_PAYMENT))
                    .expectNoEvents();
        }

        @Test
        void canAnswerDuplicateForTheSameRefundAgain() {
            fixture.given(opened(), new PaymentRecorded(ACME, "p1", usd("50"), "card", "pi_123", usd("50"), TS),
                            new PaymentRefunded(ACME, "r1", "p1", usd("20"), usd("20"), TS))
                    .when(new RefundPayment(ACME, "r1", "p1", usd("20.0")))
                    .expectResultMessagePayloadMatching(duplicate())
                    .expectNoEvents();
        }

        @Test
        void cannotRefundAnExistingRefundIdWithDifferentContent() {
            fixture.given(opened(), new PaymentRecorded(ACME, "p1", usd("50"), "card", "pi_123", usd("50"), TS),
                            new PaymentRefunded(ACME, "r1", "p1", usd("20"), usd("20"), TS))
                    .when(new RefundPayment(ACME, "r1", "p1", usd("25")))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.ALREADY_EXISTS))
                    .expectNoEvents();
        }

        @Test
        void cannotRefundANonPositiveAmount() {
            fixture.given(opened(), new PaymentRecorded(ACME, "p1", usd("50"), "card", "pi_123", usd("50"), TS))
                    .when(new RefundPayment(ACME, "r1", "p1", usd("0")))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.INVALID_AMOUNT))
                    .expectNoEvents();
        }
    }

    // ---- scenario vocabulary -------------------------------------------------------------------

    private static AccountOpened opened() {
        return opened(MARCH, null);
    }

    private static AccountOpened opened(Instant billingStart, Money lowBalanceThreshold) {
        return new AccountOpened(ACME, "Acme Inc", "USD", PLAN, 1, billingStart, lowBalanceThreshold,
                "billing@acme.test", billingStart);
    }

    private static CreditGranted granted(String grantId, String amount, CreditKind kind, Instant effectiveAt,
                                         Instant expiresAt, int priority) {
        return new CreditGranted(ACME, grantId, usd(amount), kind, effectiveAt, expiresAt, priority, "grant " + grantId,
                effectiveAt);
    }

    private static CreditGranted prepaid(String grantId, String amount) {
        return granted(grantId, amount, CreditKind.PREPAID, MARCH, null, GrantCredit.DEFAULT_PRIORITY);
    }

    private static CreditGranted promotional(String grantId, String amount) {
        return granted(grantId, amount, CreditKind.PROMOTIONAL, MARCH, null, GrantCredit.DEFAULT_PRIORITY);
    }

    private static UsageSubmission usage(String key, String meter, String quantity, Instant timestamp) {
        return new UsageSubmission(key, meter, new BigDecimal(quantity), timestamp, PROPERTIES);
    }

    private static RecordUsage record(UsageSubmission... events) {
        return new RecordUsage(ACME, List.of(events));
    }

    /** Usage rated under plan version 1 in the period (anchor day 1) of its timestamp, recorded now. */
    /** What a command that accepted several usage events records: one event holding them in order. */
    private static UsageBatchRecorded batch(UsageRecorded... usages) {
        return new UsageBatchRecorded(ACME, List.of(usages));
    }

    private static UsageRecorded recorded(String key, String meter, String quantity, Instant timestamp,
                                          String cumulativeQuantity, String accrual, Funding funding) {
        return recordedUnder(1, key, meter, quantity, timestamp, cumulativeQuantity, accrual, funding);
    }

    private static UsageRecorded recordedUnder(int planVersion, String key, String meter, String quantity,
                                               Instant timestamp, String cumulativeQuantity, String accrual,
                                               Funding funding) {
        Instant periodStart = new BillingCalendar(1).periodContaining(timestamp).start();
        return new UsageRecorded(ACME, key, meter, new BigDecimal(quantity), timestamp, PROPERTIES, periodStart, PLAN,
                planVersion, new BigDecimal(cumulativeQuantity), usd(accrual), funding, false, NOW);
    }

    /** Nothing drawn from credit: all of it uncovered. */
    private static Funding uncovered(String amount) {
        return new Funding(List.of(), List.of(), usd(amount));
    }

    private static Funding drawn(String uncovered, CreditMovement... movements) {
        return new Funding(List.of(movements), List.of(), usd(uncovered));
    }

    private static Funding restored(String uncoveredChange, CreditMovement... movements) {
        return new Funding(List.of(), List.of(movements), usd(uncoveredChange));
    }

    private static CreditMovement movement(String grantId, String amount) {
        return new CreditMovement(grantId, usd(amount));
    }

    private static UsageOutcome rejected(String key, ErrorCode code) {
        return UsageOutcome.rejected(key, code, null);
    }

    private static UsageOutcome conflict(String key) {
        return rejected(key, ErrorCode.IDEMPOTENCY_CONFLICT);
    }

    private static Money usd(String amount) {
        return Money.of("USD", amount);
    }

    private static Tier tier(String upTo, String unitPrice, String flatFee) {
        return new Tier(upTo == null ? null : new BigDecimal(upTo), new BigDecimal(unitPrice),
                flatFee == null ? null : new BigDecimal(flatFee));
    }
}
