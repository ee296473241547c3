package dev.tally.ledger.account;

import static dev.tally.ledger.testing.LedgerMatchers.accepted;
import static dev.tally.ledger.testing.LedgerMatchers.duplicate;
import static dev.tally.ledger.testing.LedgerMatchers.rejectedWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ledger.LedgerSettings;
import dev.tally.ledger.api.account.OpenAccount;
import dev.tally.ledger.api.charge.RecordCharge;
import dev.tally.ledger.api.credit.CreditGranted;
import dev.tally.ledger.api.credit.CreditKind;
import dev.tally.ledger.api.credit.CreditMovement;
import dev.tally.ledger.api.credit.ExpireCredit;
import dev.tally.ledger.api.credit.GrantCredit;
import dev.tally.ledger.api.invoice.CloseBillingPeriod;
import dev.tally.ledger.api.invoice.InvoiceIds;
import dev.tally.ledger.api.invoice.InvoiceIssued;
import dev.tally.ledger.api.invoice.InvoiceLine;
import dev.tally.ledger.api.invoice.InvoiceVoided;
import dev.tally.ledger.api.invoice.LineKind;
import dev.tally.ledger.api.invoice.ReturnedCredit;
import dev.tally.ledger.api.invoice.RevenueShare;
import dev.tally.ledger.api.invoice.Settlement;
import dev.tally.ledger.api.invoice.VoidInvoice;
import dev.tally.ledger.api.journal.Posting;
import dev.tally.ledger.api.money.Money;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.ledger.api.payment.PaymentRecorded;
import dev.tally.ledger.api.payment.PaymentRefunded;
import dev.tally.ledger.api.payment.RecordPayment;
import dev.tally.ledger.api.payment.RefundPayment;
import dev.tally.ledger.api.plan.MeterPrice;
import dev.tally.ledger.api.plan.PlanPublished;
import dev.tally.ledger.api.plan.PriceModel;
import dev.tally.ledger.api.plan.Tier;
import dev.tally.ledger.api.usage.RecordUsage;
import dev.tally.ledger.api.usage.UsageRecorded;
import dev.tally.ledger.api.usage.UsageSubmission;
import dev.tally.ledger.journal.JournalEntries;
import dev.tally.ledger.testing.InMemoryPlanCatalog;
import dev.tally.ledger.testing.MovableClock;
import dev.tally.ledger.testing.SequentialInvoiceNumbers;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.ResultValidator;
import org.axonframework.test.aggregate.TestExecutor;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

// Goal: closing a period issues exactly the invoice of spec section 5, figure for figure, and
// payments, refunds and voids move invoices through their states as sections 5 and 6 say.
class InvoiceTest {

    private static final String ACME = "acme";
    private static final Instant FEBRUARY = Instant.parse("2026-02-01T00:00:00Z");
    private static final Instant MARCH = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant APRIL = Instant.parse("2026-04-01T00:00:00Z");
    private static final Instant MAY = Instant.parse("2026-05-01T00:00:00Z");
    private static final Instant IN_MARCH = Instant.parse("2026-03-10T12:00:00Z");
    private static final Instant AFTER_MARCH = Instant.parse("2026-04-01T01:00:00Z");

    private AggregateTestFixture<Account> fixture;
    private InMemoryPlanCatalog plans;
    private MovableClock clock;
    private SequentialInvoiceNumbers numbers;

    @BeforeEach
    void setUp() {
        plans = new InMemoryPlanCatalog();
        Instant since = Instant.parse("2025-06-01T00:00:00Z");
        plans.publish("standard", "USD", since,
                MeterPrice.perUnit("gpu_seconds", "0.50"),
                MeterPrice.graduated("images", List.of(tier("10", "1.00", "5"), tier(null, "0.50", null))),
                MeterPrice.volume("tokens", List.of(tier("10", "1.00", null), tier(null, "0.50", null))),
                MeterPrice.packaged("exports", "100", "3.00"),
                MeterPrice.perUnit("millis", "0.001"));
        // The worked example of spec section 5: four meters whose exact accruals round to 5.88, 0.13, 9.00, 0.77.
        plans.add(new PlanPublished("committed", 1, "USD", since, usd("50"), List.of(
                MeterPrice.perUnit("a", "0.001"), MeterPrice.perUnit("b", "0.0001"),
                MeterPrice.perUnit("c", "1.00"), MeterPrice.perUnit("d", "0.000001")), since));
        plans.publish("yen", "JPY", since, MeterPrice.perUnit("calls", "0.5"));
        // Spec section 5's late usage example: a minimum of 50.00, usage at a cent a unit.
        plans.add(new PlanPublished("minimum-50", 1, "USD", since, usd("50"),
                List.of(MeterPrice.perUnit("gpu_seconds", "0.01")), since));
        clock = new MovableClock(IN_MARCH);
        numbers = new SequentialInvoiceNumbers();
        fixture = new AggregateTestFixture<>(Account.class);
        fixture.registerInjectableResource(LedgerSettings.withClock(clock));
        fixture.registerInjectableResource(plans);
        fixture.registerInjectableResource(numbers);
    }

    @Nested
    class Lines {

        @Test
        void canIssueTheWorkedExampleOfTheSpecWithItsMinimumTrueUp() {
            InvoiceIssued invoice = closeMarch(open("committed", "USD"),
                    record(usage("a", "5876"), usage("b", "1255"), usage("c", "9"), usage("d", "770349")));

            assertThat(amounts(invoice.lines())).containsExactly("5.88", "0.13", "9.00", "0.77", "34.22");
            assertThat(invoice.lines().get(4).kind()).isEqualTo(LineKind.MINIMUM);
            assertFigures(invoice, "50.00", "0.00", "50.00");
            assertThat(invoice.billedUncovered().amount()).isEqualByComparingTo("15.771849");
            assertThat(invoice.rounding().amount()).isEqualByComparingTo("0.008151");
            assertThat(invoice.number()).isEqualTo("TLY-2026-000002");
            assertThat(invoice.invoiceId()).isEqualTo(InvoiceIds.of(ACME, MARCH));
            assertBalances(invoice);
        }

        @Test
        void canPriceEachModelOnItsLineAtTheCumulativeQuantity() {
            InvoiceIssued invoice = closeMarch(open("standard", "USD"),
                    record(usage("gpu_seconds", "7"), usage("images", "9"), usage("images", "5"),
                            usage("tokens", "10"), usage("exports", "250")));

            assertThat(invoice.lines()).extracting(InvoiceLine::meter)
                    .containsExactly("exports", "gpu_seconds", "images", "tokens");
            assertThat(amounts(invoice.lines())).containsExactly("9.00", "3.50", "17.00", "10.00");
            assertThat(invoice.lines()).extracting(line -> line.quantity().toPlainString())
                    .containsExactly("250", "7", "14", "10");
            assertThat(invoice.lines()).allSatisfy(line -> assertThat(line.planVersion()).isEqualTo(1));
            assertFigures(invoice, "39.50", "0.00", "39.50");
        }

        @Test
        void canStateEachUsageLinesPriceAsThePlanStatesItWithThePeriodsQuantity() {
            InvoiceIssued invoice = closeMarch(open("standard", "USD"),
                    record(usage("gpu_seconds", "7"), usage("images", "9"), usage("images", "5"),
                            usage("exports", "250")), record(usage("exports", "0")));

            PlanPublished standard = plans.versionsOf("standard").get(0);
            assertThat(invoice.lines()).allSatisfy(line -> {
                assertThat(line.price()).isEqualTo(standard.priceOf(line.meter()).orElseThrow());
                assertThat(line.cumulativeQuantity()).isEqualByComparingTo(line.quantity());
            });
            assertThat(invoice.lines()).extracting(line -> line.price().model())
                    .containsExactly(PriceModel.PACKAGE, PriceModel.PER_UNIT, PriceModel.GRADUATED);
            InvoiceIssued withTrueUp = closeMarch(open("committed", "USD"), record(usage("c", "9")));
            assertThat(withTrueUp.lines().get(1).kind()).isEqualTo(LineKind.MINIMUM);
            assertThat(withTrueUp.lines().get(1).price()).as("a true-up states no price").isNull();
            assertThat(withTrueUp.lines().get(1).cumulativeQuantity()).isNull();
        }

        @Test
        void canBillAVolumePeriodWhoseAccrualsWentNegative() {
            InvoiceIssued invoice = closeMarch(open("standard", "USD"),
                    record(usage("tokens", "10")), record(usage("tokens", "2")));

            assertThat(invoice.lines()).singleElement().satisfies(line -> {
                assertThat(line.quantity()).isEqualByComparingTo("12");
                assertThat(line.amount().amount()).isEqualByComparingTo("6.00");
            });
            assertFigures(invoice, "6.00", "0.00", "6.00");
        }

        @Test
        void canBillManualChargesAndAdjustmentsOfThePeriod() {
            InvoiceIssued invoice = closeMarch(open("standard", "USD"), record(usage("gpu_seconds", "10")),
                    new RecordCharge(ACME, "onboarding", usd("25"), "Onboarding workshop", null),
                    new RecordCharge(ACME, "goodwill", usd("-3.25"), null, null));

            assertThat(invoice.lines()).extracting(InvoiceLine::kind)
                    .containsExactly(LineKind.USAGE, LineKind.CHARGE, LineKind.CHARGE);
            assertThat(invoice.lines()).extracting(InvoiceLine::description)
                    .containsExactly("gpu_seconds usage", "Onboarding workshop", "Adjustment goodwill");
            assertFigures(invoice, "26.75", "0.00", "26.75");
        }

        @Test
        void canRoundEachLineHalfUpAtTheHalfCentAndJournalTheDifference() {
            InvoiceIssued invoice = closeMarch(open("standard", "USD"), record(usage("millis", "2675")));

            assertThat(amounts(invoice.lines())).containsExactly("2.68");
            assertFigures(invoice, "2.68", "0.00", "2.68");
            assertThat(invoice.rounding().amount()).isEqualByComparingTo("0.005");
            assertThat(JournalEntries.postingsFor(invoice)).containsExactly(
                    Posting.debit("receivable:acme", usd("0.005"), "invoice TLY-2026-000002"),
                    Posting.credit("rounding", usd("0.005"), "invoice TLY-2026-000002 rounding"));
        }

        @Test
        void canRoundCreditsAppliedHalfUpWhenCreditsCoverPartOfAHalfCentLine() {
            InvoiceIssued invoice = closeMarch(open("standard", "USD"), grant("p", "0.505", null),
                    record(usage("millis", "1005")));

            assertThat(amounts(invoice.lines())).containsExactly("1.01");
            assertFigures(invoice, "1.01", "0.51", "0.50");
            assertThat(invoice.rounding().amount()).isEqualByComparingTo("0");
        }

        @Test
        void canBillInYenWithoutDecimals() {
            InvoiceIssued invoice = closeMarch(open("yen", "JPY"), record(usage("calls", "3")));

            assertThat(invoice.lines()).singleElement()
                    .satisfies(line -> assertThat(line.amount()).isEqualTo(Money.of("JPY", new BigDecimal("2"))));
            assertThat(invoice.total()).isEqualTo(Money.of("JPY", new BigDecimal("2")));
            assertThat(invoice.rounding().amount()).isEqualByComparingTo("0.5");
        }

        @Test
        void canIssueAnEmptyPeriodAsAZeroInvoice() {
            InvoiceIssued invoice = closeMarch(open("standard", "USD"));

            assertThat(invoice.lines()).isEmpty();
            assertFigures(invoice, "0.00", "0.00", "0.00");
            assertThat(JournalEntries.postingsFor(invoice)).isEmpty();
        }
    }

    @Nested
    class Credits {

        @Test
        void canApplyCreditsCoveringPartOfThePeriod() {
            InvoiceIssued invoice = closeMarch(open("standard", "USD"), grant("p", "2", null),
                    record(usage("gpu_seconds", "7")));

            assertFigures(invoice, "3.50", "2.00", "1.50");
        }

        @Test
        void canApplyCreditsCoveringAllOfThePeriod() {
            InvoiceIssued invoice = closeMarch(open("standard", "USD"), grant("p", "3.50", null),
                    record(usage("gpu_seconds", "7")));

            assertFigures(invoice, "3.50", "3.50", "0.00");
        }

        @Test
        void canApplyCreditsCoveringMoreThanAllOfThePeriod() {
            InvoiceIssued invoice = closeMarch(open("standard", "USD"), grant("p", "100", null),
                    record(usage("gpu_seconds", "7")));

            assertFigures(invoice, "3.50", "3.50", "0.00");
        }

        @Test
        void canFundTheMinimumTrueUpAndEarlierOverageWithGrantsStillUsableAtIssue() {
            // 15.771849 of usage arrives before any credit; a grant made later in the period pays it and the true-up.
            InvoiceIssued invoice = closeMarch(open("committed", "USD"),
                    record(usage("a", "5876"), usage("b", "1255"), usage("c", "9"), usage("d", "770349")),
                    grant("late-grant", "100", null));

            assertFigures(invoice, "50.00", "50.00", "0.00");
            assertThat(invoice.issueFunding().drawn()).containsExactly(
                    new CreditMovement("late-grant", usd("49.991849")));
            assertThat(invoice.rounding().amount()).isEqualByComparingTo("0");
        }

        @Test
        void cannotFundAtIssueWithAGrantThatTookEffectAfterThePeriod() {
            InvoiceIssued invoice = closeMarch(open("standard", "USD"), record(usage("gpu_seconds", "7")),
                    new GrantCredit(ACME, "april", usd("10"), CreditKind.PREPAID, APRIL, null, null, null));

            assertFigures(invoice, "3.50", "0.00", "3.50");
            assertThat(invoice.issueFunding().drawn()).isEmpty();
        }

        @Test
        void canCarryANegativePeriodForwardAsAPrepaidGrantWhenTheDrawnGrantExpiredMidPeriod() {
            Instant midMarch = Instant.parse("2026-03-15T00:00:00Z");
            clock.set(Instant.parse("2026-03-05T00:00:00Z"));
            TestExecutor<Account> given = fixture.givenCommands(new OpenAccount(ACME, "Acme", "USD", "standard", null,
                            FEBRUARY, null, null),
                    grant("promo", "10", midMarch));
            clock.set(Instant.parse("2026-03-06T00:00:00Z"));
            given.andGivenCommands(recordAt(Instant.parse("2026-03-05T12:00:00Z"), usage("tokens", "10")));
            clock.set(Instant.parse("2026-03-16T00:00:00Z"));
            given.andGivenCommands(new ExpireCredit(ACME, "promo"),
                    recordAt(Instant.parse("2026-03-15T12:00:00Z"), usage("tokens", "2")));
            clock.set(AFTER_MARCH);
            List<Object> events = new ArrayList<>();
            given.andGivenCommands(new CloseBillingPeriod(ACME, FEBRUARY))
                    .when(new CloseBillingPeriod(ACME, MARCH))
                    .expectResultMessagePayloadMatching(accepted())
                    .expectEventsMatching(capture(events));

            InvoiceIssued invoice = (InvoiceIssued) events.get(0);
            assertFigures(invoice, "6.00", "6.00", "0.00");
            assertThat(invoice.creditCarriedForward().amount()).isEqualByComparingTo("4.00");
            assertThat(events.get(1)).isEqualTo(new CreditGranted(ACME, invoice.invoiceId() + "-carried-forward",
                    usd("4.00"), CreditKind.PREPAID, AFTER_MARCH, null, 100,
                    "credit carried forward from the invoice for 2026-03-01 to 2026-03-31", AFTER_MARCH,
                    invoice.invoiceId()));
            assertThat(JournalEntries.postingsFor(events.get(1))).containsExactly(
                    Posting.debit("receivable:acme", usd("4.00"), "credit carried forward from invoice " + invoice.invoiceId()),
                    Posting.credit("credits:acme", usd("4.00"), "credit carried forward from invoice " + invoice.invoiceId()));
        }
    }

    @Nested
    class LateUsage {

        @Test
        void canBillUsageForAnInvoicedPeriodOnTheNextInvoiceAtThatPeriodsMarginalPrice() {
            clock.set(Instant.parse("2026-02-20T00:00:00Z"));
            TestExecutor<Account> given = fixture.givenCommands(open("standard", "USD"),
                    recordAt(Instant.parse("2026-02-10T00:00:00Z"), usage("images", "10")));
            clock.set(Instant.parse("2026-03-01T02:00:00Z"));
            given.andGivenCommands(new CloseBillingPeriod(ACME, FEBRUARY),
                    recordAt(Instant.parse("2026-02-27T00:00:00Z"), usage("images", "4")),
                    recordAt(Instant.parse("2026-03-01T01:00:00Z"), usage("images", "2")));
            clock.set(AFTER_MARCH);
            List<Object> events = new ArrayList<>();
            given.when(new CloseBillingPeriod(ACME, MARCH)).expectEventsMatching(capture(events));

            InvoiceIssued invoice = (InvoiceIssued) events.get(0);
            assertThat(invoice.lines()).extracting(InvoiceLine::kind)
                    .containsExactly(LineKind.LATE_USAGE, LineKind.USAGE);
            InvoiceLine late = invoice.lines().get(0);
            assertThat(late.description())
                    .isEqualTo("images usage for 2026-02-01 to 2026-02-28 received after invoicing");
            assertThat(late.periodStart()).isEqualTo(FEBRUARY);
            assertThat(late.quantity()).isEqualByComparingTo("4");
            // February's eleventh to fourteenth images are in its second tier: 0.50 each.
            assertThat(late.amount().amount()).isEqualByComparingTo("2.00");
            assertThat(late.cumulativeQuantity()).as("February's quantity after them").isEqualByComparingTo("14");
            assertThat(late.price().model()).isEqualTo(PriceModel.GRADUATED);
            assertThat(invoice.lines().get(1).amount().amount()).isEqualByComparingTo("7.00");
            assertFigures(invoice, "9.00", "0.00", "9.00");
            assertThat(invoice.billedPeriods()).containsExactly(FEBRUARY, MARCH);
        }
    }

    @Nested
    class LateUsageAndTheMinimum {

        private static final Instant OCTOBER = Instant.parse("2026-10-01T00:00:00Z");
        private static final Instant NOVEMBER = Instant.parse("2026-11-01T00:00:00Z");
        private static final Instant DECEMBER = Instant.parse("2026-12-01T00:00:00Z");
        private static final String COVERED_OCTOBER = "covered by the minimum commitment of 2026-10-01 to 2026-10-31";

        @Test
        void canSetLateUsageAgainstTheTrueUpItsPeriodBilledAsInTheSpecsExample() {
            TestExecutor<Account> history = lateOctoberUsageBilledInNovember();
            clock.set(Instant.parse("2026-12-05T00:00:00Z"));
            history.andGivenCommands(recordAt(Instant.parse("2026-10-25T00:00:00Z"), usage("gpu_seconds", "3000")));
            clock.set(Instant.parse("2027-01-01T01:00:00Z"));
            InvoiceIssued december = (InvoiceIssued) firstEventOf(history, new CloseBillingPeriod(ACME, DECEMBER));
            List<Object> events = new ArrayList<>(fixture.getEventStore().readEvents(ACME).asStream()
                    .map(EventMessage::getPayload).toList());
            List<InvoiceIssued> invoices = events.stream().filter(InvoiceIssued.class::isInstance)
                    .map(InvoiceIssued.class::cast).toList();
            List<UsageRecorded> late = events.stream().filter(UsageRecorded.class::isInstance)
                    .map(UsageRecorded.class::cast).filter(UsageRecorded::late).toList();

            // October: usage lines 0.00, so a true-up of 50.00.
            InvoiceIssued october = invoices.get(0);
            assertThat(amounts(october.lines())).containsExactly("0.00", "50.00");
            assertThat(october.trueUp().amount()).isEqualByComparingTo("50.00");
            // Late October usage of 32.14: wholly covered, nothing funded.
            assertThat(late.get(0).accrual().amount()).isEqualByComparingTo("32.14");
            assertThat(late.get(0).coveredByMinimum().amount()).isEqualByComparingTo("32.14");
            assertThat(late.get(0).funding().drawn()).isEmpty();
            assertThat(late.get(0).funding().uncoveredChange().amount()).isEqualByComparingTo("0");
            InvoiceIssued november = invoices.get(1);
            assertThat(november.lines()).extracting(InvoiceLine::kind)
                    .containsExactly(LineKind.LATE_USAGE, LineKind.MINIMUM_CREDIT, LineKind.MINIMUM);
            assertThat(amounts(november.lines())).containsExactly("32.14", "-32.14", "50.00");
            assertThat(november.lines().get(1).description()).isEqualTo(COVERED_OCTOBER);
            assertThat(november.lines().get(1).periodStart()).isEqualTo(OCTOBER);
            assertThat(november.lines().get(1).meter()).isEqualTo("gpu_seconds");
            assertFigures(november, "50.00", "0.00", "50.00");
            // A further 30.00: covered 17.86, so 12.14 is billed.
            assertThat(late.get(1).coveredByMinimum().amount()).isEqualByComparingTo("17.86");
            assertThat(late.get(1).funding().uncoveredChange().amount()).isEqualByComparingTo("12.14");
            assertThat(amounts(december.lines())).containsExactly("30.00", "-17.86", "50.00");
            assertThat(december.lines().get(1).description()).isEqualTo(COVERED_OCTOBER);
            assertFigures(december, "62.14", "0.00", "62.14");
            // October has cost 62.14 in all, its usage: 50.00 + (32.14 − 32.14) + (30.00 − 17.86).
            BigDecimal octoberInAll = invoices.stream().flatMap(invoice -> invoice.lines().stream())
                    .filter(line -> line.periodStart().equals(OCTOBER)).map(line -> line.amount().amount())
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(octoberInAll).isEqualByComparingTo("62.14");
            // The journal: October's 62.14 is usage revenue; of the three true-ups, November's and
            // December's stay fees.
            Map<String, BigDecimal> journal = journalOf(events);
            assertThat(journal.get("revenue:usage:gpu_seconds")).isEqualByComparingTo("-62.14");
            assertThat(journal.get("revenue:fees")).isEqualByComparingTo("-100.00");
            assertThat(journal.get("receivable:acme")).isEqualByComparingTo("162.14");
            assertThat(journal.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo("0");
        }

        @Test
        void cannotCoverLateUsageOnceItsPeriodsInvoiceWasVoided() {
            TestExecutor<Account> history = octoberBilledItsMinimum();
            clock.set(Instant.parse("2026-11-05T00:00:00Z"));
            history.andGivenCommands(recordAt(Instant.parse("2026-10-20T00:00:00Z"), usage("gpu_seconds", "1000")),
                    new VoidInvoice(ACME, InvoiceIds.of(ACME, OCTOBER), false, "wrong plan"));
            UsageRecorded afterTheVoid = (UsageRecorded) firstEventOf(history,
                    recordAt(Instant.parse("2026-10-21T00:00:00Z"), usage("gpu_seconds", "3214")));

            assertThat(afterTheVoid.late()).isTrue();
            assertThat(afterTheVoid.coveredByMinimum().amount()).isEqualByComparingTo("0");
            assertThat(afterTheVoid.funding().uncoveredChange().amount()).isEqualByComparingTo("32.14");
            assertThat(lines(JournalEntries.postingsFor(afterTheVoid)))
                    .containsExactly("Dr receivable:acme 32.14", "Cr revenue:usage:gpu_seconds 32.14");
        }

        @Test
        void canBillLateUsageOfAVoidedPeriodWithoutACoveredLine() {
            TestExecutor<Account> history = octoberBilledItsMinimum();
            clock.set(Instant.parse("2026-11-05T00:00:00Z"));
            history.andGivenCommands(new VoidInvoice(ACME, InvoiceIds.of(ACME, OCTOBER), false, "wrong plan"),
                    recordAt(Instant.parse("2026-10-20T00:00:00Z"), usage("gpu_seconds", "3214")));
            clock.set(Instant.parse("2026-12-01T01:00:00Z"));
            InvoiceIssued november = (InvoiceIssued) firstEventOf(history, new CloseBillingPeriod(ACME, NOVEMBER));

            assertThat(november.lines()).extracting(InvoiceLine::kind)
                    .containsExactly(LineKind.LATE_USAGE, LineKind.MINIMUM);
            assertThat(amounts(november.lines())).containsExactly("32.14", "50.00");
            assertFigures(november, "82.14", "0.00", "82.14");
        }

        @Test
        void canVoidAnInvoiceWithCoveredLateUsageReversingOnlyWhatItBilled() {
            TestExecutor<Account> history = lateOctoberUsageBilledInNovember();
            InvoiceVoided voided = (InvoiceVoided) firstEventOf(history,
                    new VoidInvoice(ACME, InvoiceIds.of(ACME, NOVEMBER), false, null));

            // November billed 32.14 − 32.14 + 50.00: its void takes back its own true-up, not October's usage.
            assertThat(voided.writtenOff().amount()).isEqualByComparingTo("50.00");
            assertThat(voided.reversedRevenue()).containsExactly(new RevenueShare("revenue:fees", usd("50.00")));
        }

        /** An account on a minimum of 50.00 whose October, with usage of 0.00, was invoiced with its true-up. */
        private TestExecutor<Account> octoberBilledItsMinimum() {
            clock.set(Instant.parse("2026-10-05T00:00:00Z"));
            TestExecutor<Account> history = fixture.givenCommands(
                    new OpenAccount(ACME, "Acme", "USD", "minimum-50", null, OCTOBER, null, null),
                    recordAt(Instant.parse("2026-10-05T00:00:00Z"), usage("gpu_seconds", "0")));
            clock.set(NOVEMBER.plusSeconds(3600));
            return history.andGivenCommands(new CloseBillingPeriod(ACME, OCTOBER));
        }

        /** {@link #octoberBilledItsMinimum()}, then late October usage of 32.14 billed on November's invoice. */
        private TestExecutor<Account> lateOctoberUsageBilledInNovember() {
            TestExecutor<Account> history = octoberBilledItsMinimum();
            clock.set(Instant.parse("2026-11-10T00:00:00Z"));
            history.andGivenCommands(recordAt(Instant.parse("2026-10-20T00:00:00Z"), usage("gpu_seconds", "3214")));
            clock.set(DECEMBER.plusSeconds(3600));
            return history.andGivenCommands(new CloseBillingPeriod(ACME, NOVEMBER));
        }
    }

    @Nested
    class Closing {

        @Test
        void canAnswerDuplicateForAPeriodAlreadyClosedWithoutTakingANumber() {
            clock.set(AFTER_MARCH);
            fixture.givenCommands(open("standard", "USD"), new CloseBillingPeriod(ACME, FEBRUARY),
                            new CloseBillingPeriod(ACME, MARCH))
                    .when(new CloseBillingPeriod(ACME, MARCH))
                    .expectResultMessagePayloadMatching(duplicate())
                    .expectNoEvents();
            assertThat(numbers.issuedIn(2026)).isEqualTo(2);
        }

        @Test
        void canMakeEveryInvoiceDueItsIssuePlusTheAccountsPaymentTerms() {
            InvoiceIssued onDefaultTerms = closeMarch(open("standard", "USD"));
            assertThat(onDefaultTerms.issuedAt()).isEqualTo(AFTER_MARCH);
            assertThat(onDefaultTerms.dueAt()).isEqualTo(Instant.parse("2026-05-01T01:00:00Z"));

            InvoiceIssued onTenDays = closeMarch(new OpenAccount(ACME, "Acme", "USD", "standard", null, FEBRUARY, null,
                    null, 10));
            assertThat(onTenDays.dueAt()).isEqualTo(Instant.parse("2026-04-11T01:00:00Z"));

            InvoiceIssued dueAtIssue = closeMarch(new OpenAccount(ACME, "Acme", "USD", "standard", null, FEBRUARY, null,
                    null, 0));
            assertThat(dueAtIssue.dueAt()).isEqualTo(AFTER_MARCH);
        }

        @Test
        void cannotCloseAPeriodThatHasNotEnded() {
            clock.set(Instant.parse("2026-03-31T23:59:59Z"));
            fixture.givenCommands(open("standard", "USD"), new CloseBillingPeriod(ACME, FEBRUARY))
                    .when(new CloseBillingPeriod(ACME, MARCH))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.PERIOD_NOT_ENDED))
                    .expectNoEvents();
        }

        @Test
        void cannotCloseAPeriodBeforeTheEarlierOne() {
            clock.set(AFTER_MARCH);
            fixture.givenCommands(open("standard", "USD"))
                    .when(new CloseBillingPeriod(ACME, MARCH))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.EARLIER_PERIOD_NOT_INVOICED))
                    .expectNoEvents();
        }

        @Test
        void cannotCloseAPeriodThatDoesNotStartOnTheAnchorOrPrecedesBillingStart() {
            clock.set(AFTER_MARCH);
            for (Instant wrong : List.of(Instant.parse("2026-03-02T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"))) {
                fixture.givenCommands(open("standard", "USD"))
                        .when(new CloseBillingPeriod(ACME, wrong))
                        .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.INVALID_PERIOD_START))
                        .expectNoEvents();
            }
        }

        @Test
        void canNumberInvoicesSequentiallyPerYear() {
            clock.set(Instant.parse("2026-05-01T01:00:00Z"));
            List<Object> events = new ArrayList<>();
            fixture.givenCommands(open("standard", "USD"), new CloseBillingPeriod(ACME, FEBRUARY),
                            new CloseBillingPeriod(ACME, MARCH))
                    .when(new CloseBillingPeriod(ACME, APRIL))
                    .expectEventsMatching(capture(events));
            assertThat(((InvoiceIssued) events.get(0)).number()).isEqualTo("TLY-2026-000003");
            assertThat(((InvoiceIssued) events.get(0)).periodEnd()).isEqualTo(MAY);
        }
    }

    @Nested
    class Payments {

        @Test
        void canSettleTheOldestInvoiceFirstAndHoldTheExcessAsUnappliedCash() {
            clock.set(Instant.parse("2026-03-01T02:00:00Z"));
            TestExecutor<Account> given = fixture.givenCommands(open("standard", "USD"),
                    recordAt(Instant.parse("2026-02-10T00:00:00Z"), usage("gpu_seconds", "20")),
                    new CloseBillingPeriod(ACME, FEBRUARY),
                    recordAt(Instant.parse("2026-03-01T01:00:00Z"), usage("gpu_seconds", "40")));
            clock.set(AFTER_MARCH);
            given.andGivenCommands(new CloseBillingPeriod(ACME, MARCH))
                    .when(new RecordPayment(ACME, "pay-1", usd("35"), "card", "pi_1"))
                    .expectResultMessagePayloadMatching(accepted())
                    .expectEvents(new PaymentRecorded(ACME, "pay-1", usd("35"), "card", "pi_1", List.of(
                            new Settlement(InvoiceIds.of(ACME, FEBRUARY), "pay-1", usd("10.00")),
                            new Settlement(InvoiceIds.of(ACME, MARCH), "pay-1", usd("20.00"))),
                            usd("5.00"), AFTER_MARCH));
        }

        @Test
        void canUseUnappliedCashOnTheNextInvoiceAtIssue() {
            clock.set(IN_MARCH);
            TestExecutor<Account> given = fixture.givenCommands(open("standard", "USD"),
                    new CloseBillingPeriod(ACME, FEBRUARY), new RecordPayment(ACME, "pay-1", usd("8"), "wire", null),
                    record(usage("gpu_seconds", "20")));
            clock.set(AFTER_MARCH);
            List<Object> events = new ArrayList<>();
            given.when(new CloseBillingPeriod(ACME, MARCH)).expectEventsMatching(capture(events));

            InvoiceIssued invoice = (InvoiceIssued) events.get(0);
            assertThat(invoice.settlements()).containsExactly(new Settlement(invoice.invoiceId(), "pay-1", usd("8")));
            assertFigures(invoice, "10.00", "0.00", "10.00");
        }

        @Test
        void canRefundFromUnappliedCashFirstAndThenReopenTheInvoicesThePaymentSettled() {
            clock.set(IN_MARCH);
            TestExecutor<Account> given = fixture.givenCommands(open("standard", "USD"),
                    new CloseBillingPeriod(ACME, FEBRUARY), record(usage("gpu_seconds", "100")));
            clock.set(AFTER_MARCH);
            String march = InvoiceIds.of(ACME, MARCH);
            given.andGivenCommands(new CloseBillingPeriod(ACME, MARCH),
                            new RecordPayment(ACME, "pay-1", usd("60"), "card", null))
                    .when(new RefundPayment(ACME, "refund-1", "pay-1", usd("30")))
                    .expectResultMessagePayloadMatching(accepted())
                    .expectEvents(new PaymentRefunded(ACME, "refund-1", "pay-1", usd("30"), usd("10.00"),
                            List.of(new Settlement(march, "pay-1", usd("20.00"))), AFTER_MARCH));
        }

        @Test
        void cannotRefundWhatAVoidedInvoiceKept() {
            clock.set(IN_MARCH);
            TestExecutor<Account> given = fixture.givenCommands(open("standard", "USD"),
                    new CloseBillingPeriod(ACME, FEBRUARY), record(usage("gpu_seconds", "100")));
            clock.set(AFTER_MARCH);
            String march = InvoiceIds.of(ACME, MARCH);
            given.andGivenCommands(new CloseBillingPeriod(ACME, MARCH),
                            new RecordPayment(ACME, "pay-1", usd("20"), "card", null),
                            new VoidInvoice(ACME, march, false, "dispute settled"))
                    .when(new RefundPayment(ACME, "refund-1", "pay-1", usd("20")))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.REFUND_EXCEEDS_PAYMENT))
                    .expectNoEvents();
        }
    }

    @Nested
    class Voids {

        @Test
        void canVoidAPartlyPaidInvoiceWritingOffItsUnpaidTotal() {
            clock.set(IN_MARCH);
            TestExecutor<Account> given = fixture.givenCommands(open("standard", "USD"),
                    new CloseBillingPeriod(ACME, FEBRUARY), record(usage("gpu_seconds", "20"), usage("images", "3")),
                    new RecordCharge(ACME, "setup", usd("4"), "Setup", null));
            clock.set(AFTER_MARCH);
            String march = InvoiceIds.of(ACME, MARCH);
            InvoiceVoided expected = new InvoiceVoided(ACME, march, "TLY-2026-000002", usd("19.00"), List.of(),
                    List.of(new RevenueShare("revenue:usage:gpu_seconds", usd("10.00")),
                            new RevenueShare("revenue:usage:images", usd("8.00")),
                            new RevenueShare("revenue:fees", usd("1.00"))), "customer went bust", AFTER_MARCH);
            given.andGivenCommands(new CloseBillingPeriod(ACME, MARCH),
                            new RecordPayment(ACME, "pay-1", usd("3"), "card", null))
                    .when(new VoidInvoice(ACME, march, false, "customer went bust"))
                    .expectResultMessagePayloadMatching(accepted())
                    .expectEvents(expected);
            assertThat(JournalEntries.postingsFor(expected)).extracting(Posting::ledgerAccount)
                    .containsExactly("revenue:usage:gpu_seconds", "revenue:usage:images", "revenue:fees",
                            "receivable:acme");
        }

        @Test
        void canVoidRestoringCreditsToLiveGrantsAndForfeitingThemForExpiredOnes() {
            clock.set(IN_MARCH);
            Instant expiry = Instant.parse("2026-04-01T00:30:00Z");
            TestExecutor<Account> given = fixture.givenCommands(open("standard", "USD"),
                    new CloseBillingPeriod(ACME, FEBRUARY),
                    new GrantCredit(ACME, "promo", usd("2"), CreditKind.PROMOTIONAL, MARCH, expiry, 1, null),
                    new GrantCredit(ACME, "prepaid", usd("3"), CreditKind.PREPAID, MARCH, null, null, null),
                    record(usage("gpu_seconds", "20")));
            clock.set(AFTER_MARCH);
            String march = InvoiceIds.of(ACME, MARCH);
            given.andGivenCommands(new CloseBillingPeriod(ACME, MARCH))
                    .when(new VoidInvoice(ACME, march, true, null))
                    .expectResultMessagePayloadMatching(accepted())
                    .expectEvents(new InvoiceVoided(ACME, march, "TLY-2026-000002", usd("5.00"), List.of(
                            new ReturnedCredit("prepaid", CreditKind.PREPAID, usd("3"), false),
                            new ReturnedCredit("promo", CreditKind.PROMOTIONAL, usd("2"), true)),
                            List.of(new RevenueShare("revenue:usage:gpu_seconds", usd("10.00"))), null, AFTER_MARCH));
        }

        @Test
        void canVoidGivingBackOnlyWhatTheInvoicesDrawsStillHoldLeavingLaterDrawsRestorable() {
            clock.set(Instant.parse("2026-02-02T00:00:00Z"));
            TestExecutor<Account> given = fixture.givenCommands(open("standard", "USD"), grant("g1", "5", null));
            clock.set(Instant.parse("2026-02-11T00:00:00Z"));
            given.andGivenCommands(recordAt(Instant.parse("2026-02-10T00:00:00Z"), usage("tokens", "10")));
            clock.set(Instant.parse("2026-03-01T01:00:00Z"));
            given.andGivenCommands(new CloseBillingPeriod(ACME, FEBRUARY),
                    new GrantCredit(ACME, "g2", usd("3"), CreditKind.PROMOTIONAL, FEBRUARY, null, null, null),
                    recordAt(Instant.parse("2026-02-20T00:00:00Z"), usage("gpu_seconds", "6")));
            given.andGivenCommands(new VoidInvoice(ACME, InvoiceIds.of(ACME, FEBRUARY), true, null));
            // February's volume tokens go from 10 (10.00) to 12 (6.00): −4.00 restores g2's late draw of 3 first.
            given.andGivenCommands(recordAt(Instant.parse("2026-02-21T00:00:00Z"), usage("tokens", "2")));
            clock.set(AFTER_MARCH);
            List<Object> events = new ArrayList<>();
            given.when(new CloseBillingPeriod(ACME, MARCH)).expectEventsMatching(capture(events));

            InvoiceIssued march = (InvoiceIssued) events.get(0);
            assertThat(march.creditCarriedForward().amount()).isEqualByComparingTo("1.00");
        }

        @Test
        void cannotVoidAPaidInvoiceOrAnUnknownOneAndVoidingTwiceIsADuplicate() {
            clock.set(AFTER_MARCH);
            String february = InvoiceIds.of(ACME, FEBRUARY);
            TestExecutor<Account> closed = fixture.givenCommands(open("standard", "USD"),
                    new CloseBillingPeriod(ACME, FEBRUARY));
            closed.when(new VoidInvoice(ACME, february, false, null))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.INVOICE_ALREADY_PAID));
            fixture.givenCommands(open("standard", "USD"))
                    .when(new VoidInvoice(ACME, "inv_nope", false, null))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.UNKNOWN_INVOICE));
            clock.set(IN_MARCH);
            TestExecutor<Account> owing = fixture.givenCommands(open("standard", "USD"),
                    new CloseBillingPeriod(ACME, FEBRUARY), record(usage("gpu_seconds", "2")));
            clock.set(AFTER_MARCH);
            owing.andGivenCommands(new CloseBillingPeriod(ACME, MARCH),
                            new VoidInvoice(ACME, InvoiceIds.of(ACME, MARCH), false, null))
                    .when(new VoidInvoice(ACME, InvoiceIds.of(ACME, MARCH), false, null))
                    .expectResultMessagePayloadMatching(duplicate())
                    .expectNoEvents();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** Runs {@code commands} in March (after closing February), then closes March an hour after it ends. */
    private InvoiceIssued closeMarch(Object... commands) {
        clock.set(IN_MARCH);
        List<Object> setUp = new ArrayList<>(List.of(commands));
        if (setUp.isEmpty()) {
            setUp.add(open("standard", "USD"));
        }
        TestExecutor<Account> given = fixture.givenCommands(setUp.get(0));
        clock.set(Instant.parse("2026-03-01T00:30:00Z"));
        given.andGivenCommands(new CloseBillingPeriod(ACME, FEBRUARY));
        clock.set(IN_MARCH);
        given.andGivenCommands(setUp.subList(1, setUp.size()));
        clock.set(AFTER_MARCH);
        List<Object> events = new ArrayList<>();
        ResultValidator<Account> result = given.when(new CloseBillingPeriod(ACME, MARCH));
        result.expectResultMessagePayloadMatching(accepted()).expectEventsMatching(capture(events));
        return (InvoiceIssued) events.get(0);
    }

    private static OpenAccount open(String plan, String currency) {
        return new OpenAccount(ACME, "Acme", currency, plan, null, FEBRUARY, null, null);
    }

    private static GrantCredit grant(String grantId, String amount, Instant expiresAt) {
        return new GrantCredit(ACME, grantId, usd(amount), CreditKind.PREPAID, null, expiresAt, null, null);
    }

    private static UsageSubmission usage(String meter, String quantity) {
        return new UsageSubmission(null, meter, new BigDecimal(quantity), null, Map.of());
    }

    private static RecordUsage record(UsageSubmission... events) {
        return recordAt(Instant.parse("2026-03-09T00:00:00Z"), events);
    }

    private static int keys;

    private static RecordUsage recordAt(Instant timestamp, UsageSubmission... events) {
        List<UsageSubmission> keyed = new ArrayList<>();
        for (UsageSubmission event : events) {
            keyed.add(new UsageSubmission("key-" + (++keys), event.meter(), event.quantity(), timestamp, Map.of()));
        }
        return new RecordUsage(ACME, keyed);
    }

    private static void assertFigures(InvoiceIssued invoice, String subtotal, String creditsApplied, String total) {
        assertThat(invoice.subtotal().amount()).as("subtotal").isEqualByComparingTo(subtotal);
        assertThat(invoice.creditsApplied().amount()).as("creditsApplied").isEqualByComparingTo(creditsApplied);
        assertThat(invoice.total().amount()).as("total").isEqualByComparingTo(total);
        assertThat(invoice.subtotal().amount().scale()).as("rounded to cents").isLessThanOrEqualTo(2);
    }

    /** Every invoice's journal entry balances. */
    private static void assertBalances(InvoiceIssued invoice) {
        List<Posting> postings = JournalEntries.postingsFor(invoice);
        Money debits = postings.stream().map(Posting::debit).reduce(usd("0"), Money::plus);
        Money credits = postings.stream().map(Posting::credit).reduce(usd("0"), Money::plus);
        assertThat(debits.amount()).isEqualByComparingTo(credits.amount());
    }

    /** The first event {@code command} applies after {@code given}. */
    private static Object firstEventOf(TestExecutor<Account> given, Object command) {
        List<Object> events = new ArrayList<>();
        given.when(command).expectEventsMatching(capture(events));
        return events.get(0);
    }

    /** Signed balances, debit minus credit, per ledger account over every event's postings. */
    private static Map<String, BigDecimal> journalOf(List<Object> events) {
        Map<String, BigDecimal> balances = new java.util.TreeMap<>();
        for (Object event : events) {
            List<Posting> postings = JournalEntries.postingsFor(event);
            Money debits = postings.stream().map(Posting::debit).reduce(usd("0"), Money::plus);
            Money credits = postings.stream().map(Posting::credit).reduce(usd("0"), Money::plus);
            assertThat(debits.amount()).as("the entry of %s balances", event).isEqualByComparingTo(credits.amount());
            postings.forEach(posting -> balances.merge(posting.ledgerAccount(),
                    posting.debit().amount().subtract(posting.credit().amount()), BigDecimal::add));
        }
        return balances;
    }

    /** Postings as "Dr account amount" / "Cr account amount". */
    private static List<String> lines(List<Posting> postings) {
        return postings.stream().map(posting -> posting.debit().isZero()
                ? "Cr " + posting.ledgerAccount() + " " + posting.credit().amount().toPlainString()
                : "Dr " + posting.ledgerAccount() + " " + posting.debit().amount().toPlainString()).toList();
    }

    private static List<String> amounts(List<InvoiceLine> lines) {
        return lines.stream().map(line -> line.amount().amount().toPlainString()).toList();
    }

    private static Matcher<List<EventMessage<?>>> capture(List<Object> into) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(List<EventMessage<?>> events) {
                events.forEach(event -> into.add(event.getPayload()));
                return !events.isEmpty();
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("some events");
            }
        };
    }

    private static Money usd(String amount) {
        return Money.of("USD", amount);
    }

    private static Tier tier(String upTo, String unitPrice, String flatFee) {
        return new Tier(upTo == null ? null : new BigDecimal(upTo), new BigDecimal(unitPrice),
                flatFee == null ? null : new BigDecimal(flatFee));
    }
}
