package dev.tally.server.integration.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.integrations.stripe.fake.Fault;
import dev.tally.integrations.stripe.fake.FakeStripe;
import dev.tally.ledger.testing.MovableClock;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.InProcessServer;
import dev.tally.server.testing.ServerTest;
import dev.tally.server.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import static dev.tally.server.testing.Eventually.awaitTrue;

// Goal: a server stopped while Stripe is failing the collection of an invoice stops cleanly, and its
// successor, from the saga and the retry deadline kept in PostgreSQL, collects the invoice exactly once.
class StripeRestartTest {

    /** Both servers' clock, stopped mid-month: the test runs the same on any day, a month's last included. */
    private final MovableClock clock = new MovableClock(Instant.parse("2030-03-10T12:00:00Z"));
    /** The month before the clock's, read per test from it. */
    private final Instant lastPeriod = YearMonth.from(clock.instant().atOffset(ZoneOffset.UTC)).minusMonths(1)
            .atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    private final FakeStripe stripe = FakeStripe.start();
    private final TestDatabase.Endpoint database = TestDatabase.fresh("stripe_restart");

    @AfterEach
    void stop() {
        stripe.close();
    }

    @Test
    void anInvoiceWhoseCollectionWasFailingWhenTheServerStoppedIsCollectedOnceAfterARestart() {
        String accountId;
        String invoiceId;
        int chargesBefore = stripe.successfulCharges();
        try (InProcessServer first = start()) {
            Api api = first.api();
            accountId = accountWithUsage(api);
            awaitTrue("the Stripe customer", () -> stripe.customerOfAccount(accountId).isPresent());
            for (int i = 0; i < 1_000; i++) {
                stripe.failNext("POST", "/pay", Fault.SERVER_ERROR);
            }
            Api.Response closed = api.post("/v1/accounts/" + accountId + "/invoices", ServerTest.ADMIN_KEY,
                    "{\"periodStart\":\"" + lastPeriod + "\"}");
            assertThat(closed.status()).as(closed.raw().body()).isEqualTo(201);
            invoiceId = closed.body().get("invoiceId").asText();
            awaitTrue("Stripe failing the payment", () -> stripe.requests().stream()
                    .filter(request -> request.startsWith("POST") && request.endsWith("/pay")).count() >= 3);
        }
        // Stripe fails until the first server is gone: the faults left over were meant never to be reached.
        stripe.clearFaults();
        assertThat(stripe.successfulCharges()).isEqualTo(chargesBefore);

        try (InProcessServer second = start()) {
            Api api = second.api();
            awaitTrue("the invoice paid", () -> "paid".equals(invoice(api, invoiceId).path("status").asText()));
            assertThat(stripe.successfulCharges() - chargesBefore).as("exactly one charge").isEqualTo(1);
            assertThat(stripe.invoicesOfLedgerInvoice(invoiceId)).as("one Stripe invoice").hasSize(1);
            assertThat(invoice(api, invoiceId).path("amountPaid").asText()).isEqualTo("10.00");
        }
    }

    private InProcessServer start() {
        return InProcessServer.start(database, clock, Map.of(
                "tally.invoice.scheduler-enabled", "false",
                "tally.audit.checkpoint-enabled", "false",
                "tally.warehouse.enabled", "false",
                "tally.stripe.api-key", FakeStripe.API_KEY,
                "tally.stripe.base-url", stripe.baseUrl(),
                "tally.stripe.retry-delay", "PT2S",
                "tally.stripe.read-timeout", "PT1S",
                "tally.stripe.scheduler-polling-interval", "PT0.2S"));
    }

    /** An account billed from last month with usage worth less than its minimum of 10.00. */
    private String accountWithUsage(Api api) {
        String planId = Api.unique("plan");
        assertThat(api.post("/v1/plans", ServerTest.ADMIN_KEY, """
                {"planId":"%s","currency":"USD","effectiveFrom":"2026-01-01T00:00:00Z","minimumCommitment":"10",
                 "prices":[{"meter":"gpu_seconds","model":"per_unit","unitPrice":"0.002"}]}""".formatted(planId))
                .status()).isEqualTo(201);
        String accountId = Api.unique("acct");
        assertThat(api.post("/v1/accounts", ServerTest.ADMIN_KEY, """
                {"accountId":"%s","name":"Restart Co","currency":"USD","planId":"%s","billingStart":"%s"}"""
                .formatted(accountId, planId, lastPeriod)).status()).isEqualTo(201);
        assertThat(api.post("/v1/usage", ServerTest.ADMIN_KEY, """
                {"events":[{"idempotencyKey":"u1","accountId":"%s","meter":"gpu_seconds","quantity":"100","timestamp":"%s"}]}"""
                .formatted(accountId, lastPeriod.plus(Duration.ofDays(2)))).status()).isEqualTo(200);
        return accountId;
    }

    private static JsonNode invoice(Api api, String invoiceId) {
        return api.get("/v1/invoices/" + invoiceId, ServerTest.ADMIN_KEY).body();
    }
}
