package dev.tally.server.integration.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.integrations.stripe.fake.FakeStripe;
import dev.tally.server.integration.stripe.StripeServerTest;
import dev.tally.server.testing.Api;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

// Goal: a Stripe webhook changes the ledger exactly once when it is genuine, however often and in whatever
// order it arrives, and not at all when its signature is wrong, stale or missing.
class StripeWebhookEndToEndTest extends StripeServerTest {

    private String accountId;
    private String url;

    @org.springframework.beans.factory.annotation.Autowired
    private org.springframework.jdbc.core.JdbcTemplate jdbc;

    @org.springframework.beans.factory.annotation.Autowired
    private StripeWebhooks webhooks;

    @org.springframework.beans.factory.annotation.Autowired
    private io.micrometer.core.instrument.MeterRegistry meters;

    @BeforeEach
    void openAccount() {
        String planId = Api.unique("plan");
        post("/v1/plans", """
                {"planId":"%s","currency":"USD","effectiveFrom":"2026-01-01T00:00:00Z",
                 "prices":[{"meter":"gpu_seconds","model":"per_unit","unitPrice":"0.002"}]}""".formatted(planId), 201);
        accountId = Api.unique("hook");
        post("/v1/accounts", """
                {"accountId":"%s","name":"Hook Co","currency":"USD","planId":"%s"}""".formatted(accountId, planId), 201);
        url = api().baseUrl() + "/webhooks/stripe";
    }

    private static void assertRefused(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"code\":\"invalid_signature\"");
    }

    @Test
    void cannotChangeTheLedgerWithATamperedBodyAWrongSecretAStaleOrAMissingSignature() {
        ObjectNode payment = STRIPE.paymentIntentSucceeded(accountId, 500, "usd");
        String payload = STRIPE.toJson(payment);
        // Signed by the server's clock, which judges how fresh a signature is.
        Instant now = clock().instant();
        String signature = FakeStripe.signatureHeader(payload, WEBHOOK_SECRET, now);

        assertRefused(FakeStripe.post(url, payload.replace("500", "900"), signature));
        assertRefused(FakeStripe.deliver(url, payload, "whsec_someone_else", now));
        assertRefused(FakeStripe.deliver(url, payload, WEBHOOK_SECRET, now.minusSeconds(301)));
        assertRefused(FakeStripe.post(url, payload, null));
        assertThat(countOf(accountId, "PaymentRecorded")).isZero();

        HttpResponse<String> genuine = FakeStripe.post(url, payload, signature);
        assertThat(genuine.statusCode()).as(genuine.body()).isEqualTo(200);
        assertThat(genuine.body()).contains("applied");
        assertThat(countOf(accountId, "PaymentRecorded")).isEqualTo(1);
    }

    @Test
    void answersAGarbledSignatureHeaderOrAMalformedSignedBodyWithAProblemAndChangesNothing() {
        ObjectNode payment = STRIPE.paymentIntentSucceeded(accountId, 500, "usd");
        String payload = STRIPE.toJson(payment);
        for (String garbled : new String[]{"t=abc,v1=00", "t", "v1", "t=,v1=", "garbage", "t=1,v1"}) {
            assertRefused(FakeStripe.post(url, payload, garbled));
        }

        Instant now = clock().instant();
        assertProblem(FakeStripe.deliver(url, "not json", WEBHOOK_SECRET, now), "malformed_request");
        assertProblem(FakeStripe.deliver(url, "{\"type\":\"invoice.paid\"}", WEBHOOK_SECRET, now),
                "missing_field");
        assertProblem(FakeStripe.deliver(url, "{\"id\":\"" + "e".repeat(300) + "\",\"type\":\"x\"}", WEBHOOK_SECRET,
                now), "invalid_field");
        assertProblem(FakeStripe.deliver(url, "{\"id\":\"evt\\u0000\",\"type\":\"x\"}", WEBHOOK_SECRET,
                now), "invalid_field");
        assertThat(countOf(accountId, "PaymentRecorded")).isZero();
    }

    private static void assertProblem(HttpResponse<String> response, String code) {
        assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"code\":\"" + code + "\"");
    }

    @Test
    void canRecordAPaymentOnceWhenTheSameEventIsDeliveredTwice() {
        ObjectNode payment = STRIPE.paymentIntentSucceeded(accountId, 2_500, "usd");

        assertThat(deliver(payment).statusCode()).isEqualTo(200);
        HttpResponse<String> again = deliver(payment);

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(countOf(accountId, "PaymentRecorded")).isEqualTo(1);
        eventually("the payment is unapplied cash", () -> "25.00".equals(api().get("/v1/accounts/" + accountId
                + "/balance", ADMIN_KEY).body().get("unappliedCash").asText()));
    }

    @Test
    void canGiveUpOnARefundOfAPaymentTallyNeverHadAfterAWeek() {
        ObjectNode foreign = STRIPE.refund("pi_never_in_tally_" + Api.unique("x"), 400, "usd");
        double pendingBefore = pendingGauge();
        HttpResponse<String> pending = deliver(foreign);
        assertThat(pending.body()).contains("pending");
        String eventId = foreign.path("id").asText();
        assertThat(inboxStatus(eventId)).isEqualTo("pending");
        // The gauge counts every pending event of the shared database: this one shows as one more, then one fewer.
        assertThat(pendingGauge()).as("this event counted as pending").isEqualTo(pendingBefore + 1);

        jdbc.update("UPDATE integrations.webhook_inbox SET received_at = now() - interval '8 days' WHERE event_id = ?",
                eventId);
        webhooks.retryPending();

        assertThat(jdbc.queryForObject("SELECT status || ':' || detail FROM integrations.webhook_inbox WHERE event_id = ?",
                String.class, eventId)).startsWith("ignored:abandoned after PT168H pending");
        assertThat(pendingGauge()).as("this event no longer pending").isEqualTo(pendingBefore);
    }

    private double pendingGauge() {
        return meters.get("tally.webhooks.pending").gauge().value();
    }

    private String inboxStatus(String eventId) {
        return jdbc.queryForObject("SELECT status FROM integrations.webhook_inbox WHERE source = 'stripe' AND event_id = ?",
                String.class, eventId);
    }

    @Test
    void canApplyARefundThatArrivedBeforeItsPaymentOnceThePaymentIsIn() {
        ObjectNode payment = STRIPE.paymentIntentSucceeded(accountId, 1_000, "usd");
        String intent = payment.path("data").path("object").path("id").asText();
        ObjectNode refund = STRIPE.refund(intent, 400, "usd");

        HttpResponse<String> early = deliver(refund);
        assertThat(early.statusCode()).isEqualTo(200);
        assertThat(early.body()).contains("pending");
        assertThat(countOf(accountId, "PaymentRefunded")).isZero();

        assertThat(deliver(payment).statusCode()).isEqualTo(200);

        assertThat(countOf(accountId, "PaymentRecorded")).isEqualTo(1);
        assertThat(countOf(accountId, "PaymentRefunded")).as("the pending refund applies after the payment").isEqualTo(1);
        assertThat(deliver(refund).statusCode()).isEqualTo(200);
        assertThat(countOf(accountId, "PaymentRefunded")).isEqualTo(1);
    }

    @Test
    void canRecordADisputeOfAStripePaymentOnce() {
        ObjectNode payment = STRIPE.paymentIntentSucceeded(accountId, 1_000, "usd");
        String intent = payment.path("data").path("object").path("id").asText();
        deliver(payment);
        ObjectNode dispute = STRIPE.dispute(intent, 1_000, "usd", "fraudulent");

        assertThat(deliver(dispute).body()).contains("applied");
        assertThat(deliver(dispute).statusCode()).isEqualTo(200);

        assertThat(countOf(accountId, "PaymentDisputed")).isEqualTo(1);
    }

    @Test
    void canAcknowledgeEventsThatAreNotTallysWithoutChangingAnything() {
        ObjectNode unknownType = STRIPE.paymentIntentSucceeded(accountId, 700, "usd");
        unknownType.put("type", "customer.subscription.trial_will_end");
        ObjectNode foreignIntent = STRIPE.paymentIntentSucceeded(null, 700, "usd");

        HttpResponse<String> first = deliver(unknownType);
        HttpResponse<String> second = deliver(foreignIntent);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("ignored");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).contains("ignored");
        assertThat(countOf(accountId, "PaymentRecorded")).isZero();
    }

    @Test
    void canReachWebhooksWithoutAnApiKeyWhileTheApiStillWantsOne() {
        assertThat(api().get("/v1/accounts/" + accountId, null).status()).isEqualTo(401);
        assertThat(FakeStripe.post(url, "{}", null).statusCode()).isEqualTo(400);
    }
}
