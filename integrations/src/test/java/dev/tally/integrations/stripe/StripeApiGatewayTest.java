package dev.tally.integrations.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.StripeClient;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import dev.tally.integrations.stripe.fake.Fault;
import dev.tally.integrations.stripe.fake.FakeStripe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// Goal: stripe-java, pointed at the fake, collects each invoice exactly once whatever the network does,
// and sends only requests Stripe's OpenAPI document knows.
class StripeApiGatewayTest {

    /** Short, so that the answers the fake holds back time out quickly. */
    private static final int READ_TIMEOUT_MILLIS = 1_000;

    private FakeStripe fake;
    private StripeClient client;
    private StripeApiGateway gateway;
    private boolean expectSpecViolations;

    @BeforeEach
    void startFake() {
        fake = FakeStripe.start();
        client = StripeConnection.client(FakeStripe.API_KEY, fake.baseUrl(), READ_TIMEOUT_MILLIS);
        gateway = new StripeApiGateway(client);
    }

    @AfterEach
    void everyRequestWasInTheSpecAndEveryFaultStruck() {
        try {
            if (!expectSpecViolations) {
                assertThat(fake.specViolations()).isEmpty();
            }
            fake.assertAllFaultsHit();
        } finally {
            fake.close();
        }
    }

    @Test
    void canCollectAnInvoiceWhoseStripeTotalEqualsTheLedgerTotal() {
        String customer = gateway.createCustomer("acct-1", "Acme", "billing@acme.test");
        InvoiceCollection collection = InvoiceCollection.of(TestInvoices.issued("acct-1", "inv_happy"));

        CollectionResult result = gateway.collect(collection, customer, 1);

        assertThat(result.status()).isEqualTo(CollectionResult.Status.PAID);
        assertThat(result.amountPaidMinorUnits()).isEqualTo(1700L);
        JsonNode invoice = onlyStripeInvoice("inv_happy");
        assertThat(invoice.path("total").asLong()).isEqualTo(1700L);
        assertThat(invoice.path("metadata").path("tally_account_id").asText()).isEqualTo("acct-1");
        assertThat(invoice.path("lines").path("data")).hasSize(4);
        assertThat(fake.successfulCharges()).isEqualTo(1);
        assertThat(fake.customerOfAccount("acct-1")).isPresent();
    }

    @Test
    void canCreateTheSameCustomerOnlyOnceWhenRetried() {
        String first = gateway.createCustomer("acct-2", "Acme", null);
        String again = gateway.createCustomer("acct-2", "Acme", null);

        assertThat(again).isEqualTo(first);
    }

    @Test
    void canCreateACustomerWithoutAnEmailStripeRefusesRatherThanHoldUpLaterAccounts() {
        String customer = gateway.createCustomer("acct-3", "Acme", "not an address");
        String again = gateway.createCustomer("acct-3", "Acme", "not an address");

        assertThat(again).as("a retry finds the same customer").isEqualTo(customer);
        JsonNode created = fake.customerOfAccount("acct-3").orElseThrow();
        assertThat(created.path("id").asText()).isEqualTo(customer);
        assertThat(created.path("email").isNull() || created.path("email").isMissingNode()).isTrue();
        assertThat(created.path("name").asText()).isEqualTo("Acme");
    }

    @Test
    void canCollectAgainAfterAReplayedServerErrorWithoutChargingTwice() {
        String customer = gateway.createCustomer("acct-3", "Acme", null);
        InvoiceCollection collection = InvoiceCollection.of(TestInvoices.issued("acct-3", "inv_500"));
        fake.failNext("POST", "/pay", Fault.SERVER_ERROR);

        assertThatThrownBy(() -> gateway.collect(collection, customer, 1)).isInstanceOf(StripeOutcomeUnknown.class);
        CollectionResult second = gateway.collect(collection, customer, 2);

        assertThat(second.status()).isEqualTo(CollectionResult.Status.PAID);
        assertThat(fake.invoicesOfLedgerInvoice("inv_500")).hasSize(1);
        assertThat(fake.successfulCharges()).isEqualTo(1);
    }

    @Test
    void canPayOnceWhenTheAnswerToPayingTimedOutAfterStripeCharged() {
        String customer = gateway.createCustomer("acct-4", "Acme", null);
        InvoiceCollection collection = InvoiceCollection.of(TestInvoices.issued("acct-4", "inv_timeout"));
        fake.failNext("POST", "/pay", Fault.TIMEOUT_AFTER_WORK);
        fake.failNext("POST", "/pay", Fault.TIMEOUT_AFTER_WORK);

        CollectionResult result = collectUntilKnown(collection, customer);

        assertThat(result.status()).isEqualTo(CollectionResult.Status.PAID);
        assertThat(fake.successfulCharges()).isEqualTo(1);
        assertThat(fake.invoicesOfLedgerInvoice("inv_timeout")).hasSize(1);
        // Both held answers were timeouts that the SDK resent under the same key, and the third send was
        // answered with the first one's stored answer: three requests for one charge.
        String pay = "POST /v1/invoices/" + result.stripeInvoiceId() + "/pay";
        assertThat(fake.requests().stream().filter(pay::equals).count()).isEqualTo(3);
    }

    @Test
    void canGetThroughADroppedConnectionAndARateLimit() {
        String customer = gateway.createCustomer("acct-5", "Acme", null);
        InvoiceCollection collection = InvoiceCollection.of(TestInvoices.issued("acct-5", "inv_reset"));
        fake.failNext("POST", "/v1/invoiceitems", Fault.CONNECTION_RESET);
        fake.failNext("POST", "/v1/invoices", Fault.RATE_LIMITED);

        CollectionResult result = collectUntilKnown(collection, customer);

        assertThat(result.status()).isEqualTo(CollectionResult.Status.PAID);
        assertThat(onlyStripeInvoice("inv_reset").path("total").asLong()).isEqualTo(1700L);
        assertThat(fake.successfulCharges()).isEqualTo(1);
    }

    @Test
    void canReportADeclinedCardWithTheAttemptTheWebhookNamesToo() {
        String customer = gateway.createCustomer("acct-6", "Acme", null);
        fake.declinePayments(true);

        CollectionResult result = gateway.collect(InvoiceCollection.of(TestInvoices.issued("acct-6", "inv_declined")),
                customer, 1);

        String stripeInvoiceId = onlyStripeInvoice("inv_declined").path("id").asText();
        assertThat(result.status()).isEqualTo(CollectionResult.Status.DECLINED);
        assertThat(result.reason()).isEqualTo("generic_decline");
        assertThat(result.failureId()).isEqualTo(StripePaymentIds.forFailedAttempt(stripeInvoiceId, 1));
        assertThat(fake.successfulCharges()).isZero();
        assertThat(fake.events("invoice.payment_failed")).hasSize(1);
    }

    @Test
    void cannotReuseAnIdempotencyKeyWithOtherParameters() throws Exception {
        RequestOptions key = RequestOptions.builder().setIdempotencyKey("tally:test:reuse").build();
        client.v1().customers().create(CustomerCreateParams.builder().setName("First").build(), key);

        assertThatThrownBy(() -> client.v1().customers().create(CustomerCreateParams.builder().setName("Second").build(), key))
                .isInstanceOf(IdempotencyException.class);
    }

    @Test
    void cannotSendAParameterTheSpecDoesNotKnow() {
        expectSpecViolations = true;

        assertThatThrownBy(() -> client.v1().customers().create(CustomerCreateParams.builder()
                .putExtraParam("not_a_stripe_field", "x").build())).isInstanceOf(InvalidRequestException.class);
        assertThat(fake.specViolations()).singleElement().asString().contains("not_a_stripe_field");
    }

    @Test
    void canTellWhichPaymentIntentPaidAnInvoice() {
        String customer = gateway.createCustomer("acct-7", "Acme", null);
        CollectionResult paid = gateway.collect(InvoiceCollection.of(TestInvoices.issued("acct-7", "inv_pi")), customer, 1);

        List<String> intents = gateway.paymentIntentsOf(paid.stripeInvoiceId());

        assertThat(intents).containsExactly(fake.paymentIntentOf(paid.stripeInvoiceId()));
    }

    @Test
    void canListTheRefundsOfAChargeThatTheEventLeavesOut() {
        String customer = gateway.createCustomer("acct-8", "Acme", null);
        CollectionResult paid = gateway.collect(InvoiceCollection.of(TestInvoices.issued("acct-8", "inv_refund")), customer, 1);
        JsonNode refunded = fake.refund(fake.paymentIntentOf(paid.stripeInvoiceId()), 300, "usd");
        JsonNode charge = refunded.path("data").path("object");

        List<StripeRefund> refunds = gateway.refundsOf(charge.path("id").asText());

        assertThat(charge.has("refunds")).isFalse();
        assertThat(refunds).singleElement().satisfies(refund -> {
            assertThat(refund.amountMinorUnits()).isEqualTo(300);
            assertThat(refund.succeeded()).isTrue();
        });
    }

    /** What the saga does: an unknown outcome is asked about again with the next attempt number. */
    private CollectionResult collectUntilKnown(InvoiceCollection collection, String customer) {
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                return gateway.collect(collection, customer, attempt);
            } catch (StripeOutcomeUnknown unknown) {
                // ask again
            }
        }
        throw new AssertionError("Stripe's answer stayed unknown");
    }

    private JsonNode onlyStripeInvoice(String ledgerInvoiceId) {
        List<JsonNode> invoices = fake.invoicesOfLedgerInvoice(ledgerInvoiceId);
        assertThat(invoices).hasSize(1);
        return invoices.get(0);
    }
}
