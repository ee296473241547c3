package dev.tally.ledger.account;

import static dev.tally.ledger.testing.LedgerMatchers.accepted;
import static dev.tally.ledger.testing.LedgerMatchers.duplicate;
import static dev.tally.ledger.testing.LedgerMatchers.rejectedWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ledger.LedgerSettings;
import dev.tally.ledger.api.account.ExternalCustomerLinked;
import dev.tally.ledger.api.account.ExternalSystem;
import dev.tally.ledger.api.account.LinkExternalCustomer;
import dev.tally.ledger.api.account.OpenAccount;
import dev.tally.ledger.api.invoice.CloseBillingPeriod;
import dev.tally.ledger.api.invoice.InvoiceIds;
import dev.tally.ledger.api.invoice.InvoiceOverdue;
import dev.tally.ledger.api.invoice.InvoicePaymentFailed;
import dev.tally.ledger.api.invoice.MarkInvoiceOverdue;
import dev.tally.ledger.api.invoice.RecordInvoicePaymentFailure;
import dev.tally.ledger.api.invoice.VoidInvoice;
import dev.tally.ledger.api.money.Money;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.ledger.api.payment.PaymentDisputed;
import dev.tally.ledger.api.payment.RecordDispute;
import dev.tally.ledger.api.payment.RecordPayment;
import dev.tally.ledger.api.plan.MeterPrice;
import dev.tally.ledger.api.usage.RecordUsage;
import dev.tally.ledger.api.usage.UsageSubmission;
import dev.tally.ledger.journal.JournalEntries;
import dev.tally.ledger.testing.InMemoryPlanCatalog;
import dev.tally.ledger.testing.MovableClock;
import dev.tally.ledger.testing.SequentialInvoiceNumbers;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.TestExecutor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

// Goal: what Orb and Stripe tell the ledger (customer ids, failed collections, overdue invoices,
// disputes) is recorded once however often it is reported, and never contradicts a newer fact.
class ExternalSyncTest {

    private static final String ACME = "acme";
    private static final Instant FEBRUARY = Instant.parse("2026-02-01T00:00:00Z");
    private static final Instant MARCH = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant IN_MARCH = Instant.parse("2026-03-10T12:00:00Z");
    private static final Instant AFTER_MARCH = Instant.parse("2026-04-01T01:00:00Z");
    private static final Instant DUE = Instant.parse("2026-05-01T01:00:00Z");
    private static final String MARCH_INVOICE = InvoiceIds.of(ACME, MARCH);

    private AggregateTestFixture<Account> fixture;
    private MovableClock clock;

    @BeforeEach
    void setUp() {
        InMemoryPlanCatalog plans = new InMemoryPlanCatalog();
        plans.publish("standard", "USD", Instant.parse("2025-06-01T00:00:00Z"), MeterPrice.perUnit("gpu_seconds", "0.50"));
        clock = new MovableClock(IN_MARCH);
        fixture = new AggregateTestFixture<>(Account.class);
        fixture.registerInjectableResource(LedgerSettings.withClock(clock));
        fixture.registerInjectableResource(plans);
        fixture.registerInjectableResource(new SequentialInvoiceNumbers());
    }

    @Nested
    class CustomerLinks {

        @Test
        void canLinkEachSystemsCustomerOnceAndAnswerDuplicateForTheSameId() {
            fixture.givenCommands(open())
                    .when(new LinkExternalCustomer(ACME, ExternalSystem.ORB, "orb_cus_1"))
                    .expectResultMessagePayloadMatching(accepted())
                    .expectEvents(new ExternalCustomerLinked(ACME, ExternalSystem.ORB, "orb_cus_1", IN_MARCH));
            fixture.givenCommands(open(), new LinkExternalCustomer(ACME, ExternalSystem.ORB, "orb_cus_1"))
                    .when(new LinkExternalCustomer(ACME, ExternalSystem.ORB, "orb_cus_1"))
                    .expectResultMessagePayloadMatching(duplicate())
                    .expectNoEvents();
            fixture.givenCommands(open(), new LinkExternalCustomer(ACME, ExternalSystem.ORB, "orb_cus_1"))
                    .when(new LinkExternalCustomer(ACME, ExternalSystem.STRIPE, "cus_9"))
                    .expectResultMessagePayloadMatching(accepted())
                    .expectEvents(new ExternalCustomerLinked(ACME, ExternalSystem.STRIPE, "cus_9", IN_MARCH));
        }

        @Test
        void cannotRelinkASystemToAnotherCustomerOrLinkWithoutAnId() {
            fixture.givenCommands(open(), new LinkExternalCustomer(ACME, ExternalSystem.STRIPE, "cus_1"))
                    .when(new LinkExternalCustomer(ACME, ExternalSystem.STRIPE, "cus_2"))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.EXTERNAL_ID_CONFLICT))
                    .expectNoEvents();
            fixture.givenCommands(open())
                    .when(new LinkExternalCustomer(ACME, ExternalSystem.STRIPE, " "))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.MISSING_FIELD))
                    .expectNoEvents();
            fixture.givenCommands(open())
                    .when(new LinkExternalCustomer(ACME, null, "cus_1"))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.MISSING_FIELD))
                    .expectNoEvents();
        }
    }

    @Nested
    class PaymentFailures {

        @Test
        void canRecordAFailedCollectionOfAnOpenInvoiceOnceAndJournalNothing() {
            InvoicePaymentFailed failed = new InvoicePaymentFailed(ACME, MARCH_INVOICE, "evt_1", "card_declined",
                    "in_1", AFTER_MARCH);
            owingMarch().when(new RecordInvoicePaymentFailure(ACME, MARCH_INVOICE, "evt_1", "card_declined", "in_1"))
                    .expectResultMessagePayloadMatching(accepted())
                    .expectEvents(failed);
            assertThat(JournalEntries.postingsFor(failed)).isEmpty();
            owingMarch().andGivenCommands(
                            new RecordInvoicePaymentFailure(ACME, MARCH_INVOICE, "evt_1", "card_declined", "in_1"))
                    .when(new RecordInvoicePaymentFailure(ACME, MARCH_INVOICE, "evt_1", "card_declined", "in_1"))
                    .expectResultMessagePayloadMatching(duplicate())
                    .expectNoEvents();
        }

        @Test
        void cannotRecordAFailureForAPaidVoidOrUnknownInvoice() {
            owingMarch().andGivenCommands(new RecordPayment(ACME, "pay-1", usd("10"), "card", null))
                    .when(new RecordInvoicePaymentFailure(ACME, MARCH_INVOICE, "evt_late", "card_declined", null))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.INVOICE_NOT_OPEN))
                    .expectNoEvents();
            owingMarch().andGivenCommands(new VoidInvoice(ACME, MARCH_INVOICE, false, null))
                    .when(new RecordInvoicePaymentFailure(ACME, MARCH_INVOICE, "evt_2", "card_declined", null))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.INVOICE_NOT_OPEN));
            owingMarch().when(new RecordInvoicePaymentFailure(ACME, "inv_nope", "evt_3", "card_declined", null))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.UNKNOWN_INVOICE));
            owingMarch().when(new RecordInvoicePaymentFailure(ACME, MARCH_INVOICE, null, "card_declined", null))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.MISSING_FIELD));
        }
    }

    @Nested
    class Overdue {

        @Test
        void canMarkAnUnpaidInvoiceOverdueOnceWithWhatIsStillOwing() {
            TestExecutor<Account> owing = owingMarch()
                    .andGivenCommands(new RecordPayment(ACME, "pay-1", usd("4"), "card", null));
            clock.set(DUE);
            owing.when(new MarkInvoiceOverdue(ACME, MARCH_INVOICE))
                    .expectResultMessagePayloadMatching(accepted())
                    .expectEvents(new InvoiceOverdue(ACME, MARCH_INVOICE, "TLY-2026-000002", usd("6.00"), DUE, DUE));
        }

        @Test
        void canMarkOverdueAtTheDueDateOfTheAccountsOwnTerms() {
            Instant sevenDaysLater = Instant.parse("2026-04-08T01:00:00Z");
            TestExecutor<Account> due = owingMarch(7);
            clock.set(sevenDaysLater);
            due.when(new MarkInvoiceOverdue(ACME, MARCH_INVOICE))
                    .expectResultMessagePayloadMatching(accepted())
                    .expectEvents(new InvoiceOverdue(ACME, MARCH_INVOICE, "TLY-2026-000002", usd("10.00"),
                            sevenDaysLater, sevenDaysLater));
            TestExecutor<Account> notYet = owingMarch(7);
            clock.set(sevenDaysLater.minusMillis(1));
            notYet.when(new MarkInvoiceOverdue(ACME, MARCH_INVOICE))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.INVALID_TIMESTAMP))
                    .expectNoEvents();
        }

        @Test
        void canAnswerDuplicateForAnInvoiceAlreadyOverdue() {
            TestExecutor<Account> owing = owingMarch();
            clock.set(DUE);
            owing.andGivenCommands(new MarkInvoiceOverdue(ACME, MARCH_INVOICE))
                    .when(new MarkInvoiceOverdue(ACME, MARCH_INVOICE))
                    .expectResultMessagePayloadMatching(duplicate())
                    .expectNoEvents();
        }

        @Test
        void cannotMarkOverdueBeforeTheDueDateOrOnceThePaymentCame() {
            owingMarch().when(new MarkInvoiceOverdue(ACME, MARCH_INVOICE))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.INVALID_TIMESTAMP))
                    .expectNoEvents();
            TestExecutor<Account> paid = owingMarch()
                    .andGivenCommands(new RecordPayment(ACME, "pay-1", usd("10"), "card", null));
            clock.set(DUE);
            paid.when(new MarkInvoiceOverdue(ACME, MARCH_INVOICE))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.INVOICE_NOT_OPEN))
                    .expectNoEvents();
        }
    }

    @Nested
    class Disputes {

        @Test
        void canRecordADisputeOfARecordedPaymentOnceAndJournalNothing() {
            PaymentDisputed disputed = new PaymentDisputed(ACME, "dp_1", "pay-1", usd("10"), "fraudulent", "ch_1",
                    AFTER_MARCH);
            TestExecutor<Account> paid = owingMarch()
                    .andGivenCommands(new RecordPayment(ACME, "pay-1", usd("10"), "card", "pi_1"));
            paid.when(new RecordDispute(ACME, "dp_1", "pay-1", usd("10"), "fraudulent", "ch_1"))
                    .expectResultMessagePayloadMatching(accepted())
                    .expectEvents(disputed);
            assertThat(JournalEntries.postingsFor(disputed)).isEmpty();
            owingMarch().andGivenCommands(new RecordPayment(ACME, "pay-1", usd("10"), "card", "pi_1"),
                            new RecordDispute(ACME, "dp_1", "pay-1", usd("10"), "fraudulent", "ch_1"))
                    .when(new RecordDispute(ACME, "dp_1", "pay-1", usd("10"), "fraudulent", "ch_1"))
                    .expectResultMessagePayloadMatching(duplicate())
                    .expectNoEvents();
        }

        @Test
        void cannotDisputeAnUnknownPaymentOrMoreThanWasPaid() {
            owingMarch().when(new RecordDispute(ACME, "dp_1", "pay-nope", usd("10"), "fraudulent", null))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.UNKNOWN_PAYMENT))
                    .expectNoEvents();
            owingMarch().andGivenCommands(new RecordPayment(ACME, "pay-1", usd("10"), "card", null))
                    .when(new RecordDispute(ACME, "dp_1", "pay-1", usd("10.01"), "fraudulent", null))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.INVALID_AMOUNT))
                    .expectNoEvents();
            owingMarch().andGivenCommands(new RecordPayment(ACME, "pay-1", usd("10"), "card", null),
                            new RecordDispute(ACME, "dp_1", "pay-1", usd("10"), "fraudulent", null))
                    .when(new RecordDispute(ACME, "dp_1", "pay-1", usd("5"), "fraudulent", null))
                    .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.ALREADY_EXISTS))
                    .expectNoEvents();
        }
    }

    /** An account whose March invoice (TLY-2026-000002) of 10.00 is issued and unpaid; the clock is after March. */
    private TestExecutor<Account> owingMarch() {
        return owingMarch(null);
    }

    /** {@link #owingMarch()} for an account on payment terms of {@code paymentTermsDays} (null: the default). */
    private TestExecutor<Account> owingMarch(Integer paymentTermsDays) {
        clock.set(Instant.parse("2026-03-01T00:30:00Z"));
        TestExecutor<Account> given = fixture.givenCommands(
                new OpenAccount(ACME, "Acme", "USD", "standard", null, FEBRUARY, null, null, paymentTermsDays),
                new CloseBillingPeriod(ACME, FEBRUARY));
        clock.set(IN_MARCH);
        given.andGivenCommands(new RecordUsage(ACME, List.of(new UsageSubmission("u-1", "gpu_seconds",
                new BigDecimal("20"), Instant.parse("2026-03-09T00:00:00Z"), Map.of()))));
        clock.set(AFTER_MARCH);
        return given.andGivenCommands(new CloseBillingPeriod(ACME, MARCH));
    }

    private static OpenAccount open() {
        return new OpenAccount(ACME, "Acme", "USD", "standard", null, FEBRUARY, null, null);
    }

    private static Money usd(String amount) {
        return Money.of("USD", amount);
    }
}
