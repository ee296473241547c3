package dev.tally.integrations.stripe;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.ledger.api.invoice.InvoiceIssued;
import dev.tally.ledger.api.invoice.InvoiceVoided;
import dev.tally.ledger.api.invoice.MarkInvoiceOverdue;
import dev.tally.ledger.api.invoice.RecordInvoicePaymentFailure;
import dev.tally.ledger.api.invoice.Settlement;
import dev.tally.ledger.api.payment.PaymentRecorded;
import dev.tally.ledger.api.payment.PaymentRefunded;
import dev.tally.ledger.api.payment.RecordPayment;
import dev.tally.ledger.serialization.LedgerJson;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

// Goal: every transition of an invoice's collection (pending → paid | failed | unknown, overdue, settled,
// voided) dispatches exactly the commands and deadlines it should, and never charges after an unknown outcome
// without asking Stripe first.
class InvoiceCollectionSagaTest {

    private static final String ACCOUNT = "acct-saga";
    private static final String INVOICE = "inv_saga";
    private static final String STRIPE_INVOICE = "in_fake1";
    private static final Instant DUE = TestInvoices.DUE_AT;

    private SagaTestFixture<InvoiceCollectionSaga> fixture;
    private ScriptedStripe stripe;
    private MapCustomerDirectory customers;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(InvoiceCollectionSaga.class);
        stripe = new ScriptedStripe();
        customers = new MapCustomerDirectory();
        customers.remember(ACCOUNT, "cus_saga");
        fixture.registerResource(stripe);
        fixture.registerResource(customers);
        fixture.registerResource(CollectionSettings.defaults());
    }

    @AfterEach
    void everyScriptedAnswerWasGiven() {
        assertThat(stripe.unusedAnswers()).as("scripted answers Stripe was never asked for").isEmpty();
    }

    private static InvoiceIssued issued() {
        return TestInvoices.issued(ACCOUNT, INVOICE);
    }

    private static RecordPayment stripePayment() {
        return new RecordPayment(ACCOUNT, StripePaymentIds.forInvoice(STRIPE_INVOICE), TestInvoices.usd("17.00"),
                InvoiceCollectionSaga.PAYMENT_METHOD, STRIPE_INVOICE);
    }

    private static PaymentRecorded settled(String amount) {
        return new PaymentRecorded(ACCOUNT, "p-" + amount, TestInvoices.usd(amount), "stripe", null,
                List.of(new Settlement(INVOICE, "p-" + amount, TestInvoices.usd(amount))), TestInvoices.usd("0"),
                TestInvoices.ISSUED_AT.plusSeconds(60));
    }

    @Test
    void canCollectAnIssuedInvoiceAndRecordTheStripePayment() {
        stripe.then(CollectionResult.paid(STRIPE_INVOICE, 1700, "usd"));

        fixture.givenCurrentTime(TestInvoices.ISSUED_AT)
                .whenPublishingA(issued())
                .expectActiveSagas(1)
                .expectAssociationWith("invoiceId", INVOICE)
                .expectAssociationWith("accountId", ACCOUNT)
                .expectDispatchedCommands(stripePayment())
                .expectScheduledDeadlineWithName(DUE, InvoiceCollectionSaga.DUE_DEADLINE);
        assertThat(stripe.attempts).containsExactly(1);
    }

    @Test
    void canEndAndCancelTheDueDateWhenPaymentsSettleTheInvoice() {
        stripe.then(CollectionResult.paid(STRIPE_INVOICE, 1700, "usd"));

        fixture.givenCurrentTime(TestInvoices.ISSUED_AT)
                .andThenAPublished(issued())
                .andThenAPublished(settled("10.00"))
                .whenPublishingA(settled("7.00"))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines()
                .expectNoDispatchedCommands();
    }

    @Test
    void canStayOpenWhileARefundReopensThePaidPart() {
        stripe.then(CollectionResult.paid(STRIPE_INVOICE, 1700, "usd"));
        PaymentRefunded refund = new PaymentRefunded(ACCOUNT, "r1", "p-10.00", TestInvoices.usd("10.00"),
                TestInvoices.usd("0"), List.of(new Settlement(INVOICE, "p-10.00", TestInvoices.usd("10.00"))),
                TestInvoices.ISSUED_AT.plusSeconds(120));

        fixture.givenCurrentTime(TestInvoices.ISSUED_AT)
                .andThenAPublished(issued())
                .andThenAPublished(settled("10.00"))
                .andThenAPublished(refund)
                .whenPublishingA(settled("7.00"))
                .expectActiveSagas(1)
                .expectScheduledDeadlineWithName(DUE, InvoiceCollectionSaga.DUE_DEADLINE);
    }

    @Test
    void canRecordADeclinedCardAndKeepWaitingForPayment() {
        stripe.then(CollectionResult.declined(STRIPE_INVOICE, "stripe_in_fake1_attempt_1", "insufficient_funds"));

        fixture.givenCurrentTime(TestInvoices.ISSUED_AT)
                .whenPublishingA(issued())
                .expectActiveSagas(1)
                .expectDispatchedCommands(new RecordInvoicePaymentFailure(ACCOUNT, INVOICE, "stripe_in_fake1_attempt_1",
                        "insufficient_funds", STRIPE_INVOICE))
                .expectNoScheduledDeadlineWithName(Instant.EPOCH, Instant.parse("9999-12-31T00:00:00Z"),
                        InvoiceCollectionSaga.RETRY_DEADLINE);
    }

    @Test
    void canAskStripeAgainWithTheNextAttemptAfterAnUnknownOutcome() {
        stripe.thenUnknown();

        fixture.givenCurrentTime(TestInvoices.ISSUED_AT)
                .whenPublishingA(issued())
                .expectNoDispatchedCommands()
                .expectScheduledDeadlineWithName(Duration.ofMinutes(2), InvoiceCollectionSaga.RETRY_DEADLINE);
        assertThat(stripe.attempts).containsExactly(1);
    }

    @Test
    void canAskStripeAgainLaterWhenCollectingFailsUnexpectedlyInsteadOfStayingPendingSilently() {
        stripe.thenFailing(new IllegalStateException("Stripe says 1800 is due, the ledger 1700"));

        fixture.givenCurrentTime(TestInvoices.ISSUED_AT)
                .whenPublishingA(issued())
                .expectNoDispatchedCommands()
                .expectActiveSagas(1)
                .expectScheduledDeadlineWithName(Duration.ofMinutes(2), InvoiceCollectionSaga.RETRY_DEADLINE);
        assertThat(stripe.attempts).containsExactly(1);
    }

    @Test
    void canRecordThePaymentWhenAskingAgainFindsItPaid() {
        stripe.thenUnknown().then(CollectionResult.paid(STRIPE_INVOICE, 1700, "usd"));

        fixture.givenCurrentTime(TestInvoices.ISSUED_AT)
                .andThenAPublished(issued())
                .whenTimeElapses(Duration.ofMinutes(2))
                .expectTriggeredDeadlinesWithName(InvoiceCollectionSaga.RETRY_DEADLINE)
                .expectDispatchedCommands(stripePayment());
        assertThat(stripe.attempts).containsExactly(1, 2);
    }

    @Test
    void canTellTheLedgerAgainWhenItDidNotTakeThePayment() {
        stripe.then(CollectionResult.paid(STRIPE_INVOICE, 1700, "usd"));
        fixture.setCallbackBehavior((payload, metaData) -> {
            throw new IllegalStateException("ledger unavailable");
        });

        fixture.givenCurrentTime(TestInvoices.ISSUED_AT)
                .whenPublishingA(issued())
                .expectDispatchedCommands(stripePayment())
                .expectScheduledDeadlineWithName(Duration.ofMinutes(1), InvoiceCollectionSaga.RETRY_DEADLINE);
    }

    @Test
    void canWaitForTheAccountsStripeCustomerBeforeCollecting() {
        fixture.givenCurrentTime(TestInvoices.ISSUED_AT)
                .whenPublishingA(TestInvoices.issued("acct-not-linked", "inv_wait"))
                .expectNoDispatchedCommands()
                .expectScheduledDeadlineWithName(Duration.ofMinutes(1), InvoiceCollectionSaga.RETRY_DEADLINE);
        assertThat(stripe.attempts).isEmpty();
    }

    @Test
    void canMarkAnUnpaidInvoiceOverdueAtTheDueDateTheLedgerGaveIt() {
        stripe.then(CollectionResult.declined(STRIPE_INVOICE, "f1", "card_declined"));

        fixture.givenCurrentTime(TestInvoices.ISSUED_AT)
                .andThenAPublished(issued())
                .whenTimeAdvancesTo(DUE)
                .expectTriggeredDeadlinesWithName(InvoiceCollectionSaga.DUE_DEADLINE)
                .expectDispatchedCommands(new MarkInvoiceOverdue(ACCOUNT, INVOICE));
    }

    @Test
    void cannotMarkAnInvoiceOverdueOncePaid() {
        stripe.then(CollectionResult.paid(STRIPE_INVOICE, 1700, "usd"));

        fixture.givenCurrentTime(TestInvoices.ISSUED_AT)
                .andThenAPublished(issued())
                .andThenAPublished(settled("17.00"))
                .whenTimeAdvancesTo(DUE.plusSeconds(1))
                .expectNoDispatchedCommands()
                .expectActiveSagas(0);
    }

    @Test
    void canEndWhenTheInvoiceIsVoided() {
        stripe.then(CollectionResult.declined(STRIPE_INVOICE, "f1", "card_declined"));
        InvoiceVoided voided = new InvoiceVoided(ACCOUNT, INVOICE, "TLY-2026-000001", TestInvoices.usd("17.00"),
                List.of(), List.of(), "customer left", TestInvoices.ISSUED_AT.plusSeconds(300));

        fixture.givenCurrentTime(TestInvoices.ISSUED_AT)
                .andThenAPublished(issued())
                .whenPublishingA(voided)
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void cannotCollectAnInvoiceThatOwesNothing() {
        fixture.givenCurrentTime(TestInvoices.ISSUED_AT)
                .whenPublishingA(TestInvoices.issued(ACCOUNT, "inv_paid_at_issue", "17.00",
                        List.of(new Settlement("inv_paid_at_issue", "cash", TestInvoices.usd("17.00")))))
                .expectActiveSagas(0)
                .expectNoDispatchedCommands()
                .expectNoScheduledDeadlines();
        assertThat(stripe.attempts).isEmpty();
    }

    @Test
    void canSaveItsStateAsJsonAndReadItBack() throws Exception {
        ObjectMapper json = LedgerJson.newMapper();
        String midway = """
                {"collection":{"accountId":"a","invoiceId":"inv_1","number":"TLY-1","currency":"USD",
                  "items":[{"lineKey":"line-0","description":"usage","amountMinorUnits":1700}],"amountDueMinorUnits":1700},
                 "amountOwed":17.00,"amountSettled":0,"state":"UNKNOWN","attempt":2,"dueAt":"2026-12-01T01:00:00Z",
                 "dueDeadlineId":"d1","retryDeadlineId":"r1","stripeInvoiceId":"in_1"}""";

        InvoiceCollectionSaga read = json.readValue(midway, InvoiceCollectionSaga.class);
        String written = json.writeValueAsString(read);

        assertThat(json.readTree(written)).isEqualTo(json.readTree(midway));
    }
}
