package dev.tally.integrations.stripe.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.integrations.stripe.StripePaymentIds;
import dev.tally.ledger.api.invoice.RecordInvoicePaymentFailure;
import dev.tally.ledger.api.money.Money;
import dev.tally.ledger.api.outcome.CommandOutcome;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.ledger.api.payment.RecordDispute;
import dev.tally.ledger.api.payment.RecordPayment;
import dev.tally.ledger.api.payment.RefundPayment;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

// Goal: each Stripe event type becomes exactly the ledger command the mapping promises, with ids derived from
// Stripe's and amounts converted exactly from minor units; what is not Tally's, or is superseded, changes nothing.
class StripeEventTranslatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Object> sent = new ArrayList<>();
    private final Map<Class<?>, CommandOutcome> answers = new HashMap<>();
    private final Map<String, StripePaymentLinks.PaymentLink> linked = new HashMap<>();
    private StripeEventTranslator translator;

    @BeforeEach
    void setUp() {
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        for (Class<?> type : List.of(RecordPayment.class, RefundPayment.class, RecordInvoicePaymentFailure.class,
                RecordDispute.class)) {
            bus.subscribe(type.getName(), (CommandMessage<?> command) -> {
                sent.add(command.getPayload());
                return answers.getOrDefault(type, CommandOutcome.accepted());
            });
        }
        StripePaymentLinks links = new StripePaymentLinks() {
            @Override
            public Optional<PaymentLink> paymentOf(String paymentIntentId) {
                return Optional.ofNullable(linked.get(paymentIntentId));
            }

            @Override
            public void remember(String paymentIntentId, PaymentLink link) {
                linked.putIfAbsent(paymentIntentId, link);
            }
        };
        translator = new StripeEventTranslator(DefaultCommandGateway.builder().commandBus(bus).build(), links,
                Optional.empty());
    }

    private static JsonNode event(String type, String object) throws Exception {
        return JSON.readTree("{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"" + type + "\",\"data\":{\"object\":"
                + object + "}}");
    }

    @Test
    void canRecordAnInvoicePaymentUnderAnIdDerivedFromTheStripeInvoice() throws Exception {
        WebhookOutcome outcome = translator.apply(event("invoice.paid", """
                {"id":"in_1","object":"invoice","currency":"usd","amount_paid":1700,
                 "metadata":{"tally_account_id":"acct-1","tally_invoice_id":"inv_1"},
                 "payments":{"data":[{"payment":{"type":"payment_intent","payment_intent":"pi_1"}}]}}"""));

        assertThat(outcome.status()).isEqualTo(WebhookOutcome.Status.APPLIED);
        assertThat(sent).containsExactly(new RecordPayment("acct-1", "stripe_in_1",
                new Money("USD", new BigDecimal("17.00")), "stripe", "in_1"));
        assertThat(linked.get("pi_1")).isEqualTo(new StripePaymentLinks.PaymentLink("acct-1", "stripe_in_1"));
    }

    @Test
    void canConvertMinorUnitsOfACurrencyWithoutDecimals() throws Exception {
        translator.apply(event("payment_intent.succeeded", """
                {"id":"pi_jpy","object":"payment_intent","currency":"jpy","amount_received":1500,
                 "metadata":{"tally_account_id":"acct-jp"}}"""));

        assertThat(sent).containsExactly(new RecordPayment("acct-jp", StripePaymentIds.forPaymentIntent("pi_jpy"),
                new Money("JPY", new BigDecimal("1500")), "stripe", "pi_jpy"));
    }

    @Test
    void cannotRecordAPaymentIntentThatTallyDidNotCreate() throws Exception {
        WebhookOutcome outcome = translator.apply(event("payment_intent.succeeded", """
                {"id":"pi_invoice","object":"payment_intent","currency":"usd","amount_received":1700,"metadata":{}}"""));

        assertThat(outcome.status()).isEqualTo(WebhookOutcome.Status.IGNORED);
        assertThat(sent).isEmpty();
    }

    @Test
    void canNameAFailedAttemptByTheStripeInvoiceAndItsAttemptCount() throws Exception {
        translator.apply(event("invoice.payment_failed", """
                {"id":"in_2","object":"invoice","attempt_count":2,
                 "metadata":{"tally_account_id":"acct-2","tally_invoice_id":"inv_2"}}"""));

        assertThat(sent).singleElement().isInstanceOfSatisfying(RecordInvoicePaymentFailure.class, failure -> {
            assertThat(failure.failureId()).isEqualTo("stripe_in_2_attempt_2");
            assertThat(failure.invoiceId()).isEqualTo("inv_2");
            assertThat(failure.externalRef()).isEqualTo("in_2");
        });
    }

    @Test
    void canIgnoreAFailureReportedAfterTheInvoiceWasPaid() throws Exception {
        answers.put(RecordInvoicePaymentFailure.class, CommandOutcome.rejected(ErrorCode.INVOICE_NOT_OPEN, "paid"));

        WebhookOutcome outcome = translator.apply(event("invoice.payment_failed", """
                {"id":"in_3","object":"invoice","attempt_count":1,
                 "metadata":{"tally_account_id":"acct-3","tally_invoice_id":"inv_3"}}"""));

        assertThat(outcome.status()).isEqualTo(WebhookOutcome.Status.IGNORED);
        assertThat(outcome.detail()).contains("superseded");
    }

    @Test
    void canWaitWithARefundUntilItsPaymentIsKnownThenRefundIt() throws Exception {
        JsonNode refunded = event("charge.refunded", """
                {"id":"ch_1","object":"charge","currency":"usd","payment_intent":"pi_4",
                 "refunds":{"data":[{"id":"re_1","amount":400,"currency":"usd","status":"succeeded"},
                                    {"id":"re_2","amount":100,"currency":"usd","status":"failed"}]}}""");

        assertThat(translator.apply(refunded).status()).isEqualTo(WebhookOutcome.Status.PENDING);
        assertThat(sent).isEmpty();

        linked.put("pi_4", new StripePaymentLinks.PaymentLink("acct-4", "stripe_pi_4"));
        assertThat(translator.apply(refunded).status()).isEqualTo(WebhookOutcome.Status.APPLIED);
        assertThat(sent).containsExactly(new RefundPayment("acct-4", "stripe_re_1", "stripe_pi_4",
                new Money("USD", new BigDecimal("4.00"))));
    }

    @Test
    void canRecordADisputeAgainstTheLinkedPayment() throws Exception {
        linked.put("pi_5", new StripePaymentLinks.PaymentLink("acct-5", "stripe_in_5"));

        translator.apply(event("charge.dispute.created", """
                {"id":"dp_1","object":"dispute","amount":1700,"currency":"usd","reason":"fraudulent",
                 "payment_intent":"pi_5","charge":"ch_5"}"""));

        assertThat(sent).containsExactly(new RecordDispute("acct-5", "stripe_dp_1", "stripe_in_5",
                new Money("USD", new BigDecimal("17.00")), "fraudulent", "dp_1"));
    }

    @Test
    void canKeepAnEventPendingWhileTheLedgerDoesNotKnowThePayment() throws Exception {
        linked.put("pi_6", new StripePaymentLinks.PaymentLink("acct-6", "stripe_pi_6"));
        answers.put(RecordDispute.class, CommandOutcome.rejected(ErrorCode.UNKNOWN_PAYMENT, "no payment"));

        WebhookOutcome outcome = translator.apply(event("charge.dispute.created", """
                {"id":"dp_2","object":"dispute","amount":100,"currency":"usd","reason":"general","payment_intent":"pi_6"}"""));

        assertThat(outcome.status()).isEqualTo(WebhookOutcome.Status.PENDING);
    }

    @Test
    void cannotCarryTextTheLedgerCannotStoreIntoIt() throws Exception {
        WebhookOutcome outcome = translator.apply(event("invoice.paid", """
                {"id":"in_1\\u0000","object":"invoice","currency":"usd","amount_paid":1700,
                 "metadata":{"tally_account_id":"acct-1","tally_invoice_id":"inv_1"}}"""));
        WebhookOutcome surrogate = translator.apply(event("payment_intent.succeeded", """
                {"id":"pi_1","object":"payment_intent","currency":"usd","amount_received":500,
                 "metadata":{"tally_account_id":"acct\\ud800"}}"""));

        assertThat(outcome.status()).isEqualTo(WebhookOutcome.Status.IGNORED);
        assertThat(outcome.detail()).contains("data.object.id");
        assertThat(surrogate.status()).isEqualTo(WebhookOutcome.Status.IGNORED);
        assertThat(surrogate.detail()).contains("data.object.metadata.tally_account_id");
        assertThat(sent).isEmpty();
    }

    @Test
    void canRecordAPaymentWhoseInvoiceDescriptionHoldsCarriageReturns() throws Exception {
        WebhookOutcome outcome = translator.apply(event("invoice.paid", """
                {"id":"in_2","object":"invoice","currency":"usd","amount_paid":100,"description":"line one\\r\\nline two",
                 "metadata":{"tally_account_id":"acct-1","tally_invoice_id":"inv_2"},"payments":{"data":[]}}"""));

        assertThat(outcome.status()).isEqualTo(WebhookOutcome.Status.APPLIED);
        assertThat(sent).hasSize(1);
    }

    @Test
    void canIgnoreEventTypesItDoesNotUse() throws Exception {
        assertThat(translator.apply(event("customer.created", "{\"id\":\"cus_1\"}")).status())
                .isEqualTo(WebhookOutcome.Status.IGNORED);
        assertThat(sent).isEmpty();
    }
}
