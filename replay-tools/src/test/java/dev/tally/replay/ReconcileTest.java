package dev.tally.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.integrations.orb.fake.FakeOrb;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static dev.tally.server.testing.Eventually.awaitTrue;

// Goal: reconcile agrees when the ledger, Orb and Stripe agree, and names a planted mismatch on each
// side with both figures, exiting 1.
class ReconcileTest {

    /** The server's and Orb's clock, stopped mid-month: the test runs the same on any day, a month's last included. */
    private static final MovableClock CLOCK = new MovableClock(Instant.parse("2030-03-10T12:00:00Z"));
    private static final FakeOrb ORB = FakeOrb.start(CLOCK);
    private static final FakeStripe STRIPE = FakeStripe.start();
    private static TestDatabase.Endpoint database;
    private static InProcessServer server;
    /** The month before the clock's, read per test from it: the period the accounts are billed for. */
    private YearMonth lastMonth;
    private Instant lastPeriod;

    @BeforeEach
    void readLastMonthFromTheClock() {
        lastMonth = YearMonth.from(CLOCK.instant().atOffset(ZoneOffset.UTC)).minusMonths(1);
        lastPeriod = lastMonth.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    @BeforeAll
    static void ledgerSyncedWithOrbAndStripe() {
        // Last month's usage is older than Orb's default grace period: the account was migrated with it.
        ORB.state().gracePeriod(Duration.ofDays(62));
        database = TestDatabase.fresh("reconcile");
        server = InProcessServer.start(database, CLOCK, Map.of(
                "tally.invoice.scheduler-enabled", "false",
                "tally.audit.checkpoint-enabled", "false",
                "tally.warehouse.enabled", "false",
                "tally.orb.api-key", FakeOrb.API_KEY,
                "tally.orb.base-url", ORB.baseUrl(),
                "tally.stripe.api-key", FakeStripe.API_KEY,
                "tally.stripe.base-url", STRIPE.baseUrl(),
                "tally.stripe.scheduler-polling-interval", "PT0.2S"));
    }

    @AfterAll
    static void stop() {
        server.close();
        ORB.close();
        STRIPE.close();
    }

    @Test
    void agreesWhenAllThreeAgreeAndNamesAPlantedMismatchOnEachSide() {
        Api api = server.api();
        String paying = openAccountWithUsage(api, "1234.5");
        String declining = openAccountWithUsage(api, "500");
        awaitTrue("both accounts' usage in Orb", () -> ORB.state().eventsOf(paying).size() == 2
                && ORB.state().eventsOf(declining).size() == 2);
        awaitTrue("both accounts' Stripe customers", () -> STRIPE.customerOfAccount(paying).isPresent()
                && STRIPE.customerOfAccount(declining).isPresent());

        String paidInvoice = close(api, paying);
        awaitTrue("the paid invoice collected", () -> "paid".equals(invoice(api, paidInvoice).path("status").asText()));
        // Paid 4.00 ahead: the invoice takes it at issue and Stripe collects the other 6.00.
        String prepaying = openAccountWithUsage(api, "10");
        awaitTrue("its Stripe customer", () -> STRIPE.customerOfAccount(prepaying).isPresent());
        assertThat(api.post("/v1/accounts/" + prepaying + "/payments", ServerTest.ADMIN_KEY,
                "{\"paymentId\":\"wire-1\",\"amount\":\"4\",\"method\":\"wire\"}").status()).isEqualTo(201);
        String prepaidInvoice = close(api, prepaying);
        awaitTrue("the prepaid invoice collected", () -> "paid".equals(invoice(api, prepaidInvoice).path("status").asText()));
        assertThat(STRIPE.invoicesOfLedgerInvoice(prepaidInvoice).get(0).path("total").asLong()).isEqualTo(600);
        STRIPE.declinePayments(true);
        String openInvoice = close(api, declining);
        awaitTrue("the declined invoice's failure recorded",
                () -> invoice(api, openInvoice).path("paymentFailures").asInt() == 1);

        ToolRun agreed = reconcile();
        assertThat(agreed.exit()).as(agreed.out() + agreed.err()).isZero();
        assertThat(agreed.out()).contains("orb: 0 mismatch(es)", "stripe: 0 mismatch(es)", "OK: everything agrees");

        ORB.state().forgetEvent(paying + "/" + paying + "-g1");
        ToolRun orbSide = reconcile();
        assertThat(orbSide.exit()).as(orbSide.out() + orbSide.err()).isEqualTo(ExitCodes.FINDING);
        assertThat(orbSide.out()).contains("orb usage " + paying + " gpu_seconds: ledger 1234.5 in 1 event(s)"
                + " | orb 0 in 0 event(s) (1 event(s) missing in Orb)", "stripe: 0 mismatch(es)");

        String stripeInvoice = STRIPE.invoicesOfLedgerInvoice(openInvoice).get(0).path("id").asText();
        STRIPE.payOutOfBand(stripeInvoice);
        ToolRun stripeSide = reconcile();
        assertThat(stripeSide.exit()).isEqualTo(ExitCodes.FINDING);
        String number = invoice(api, openInvoice).path("number").asText();
        assertThat(stripeSide.out()).contains("stripe invoice " + number + " (" + declining + "): ledger to collect 10 USD,"
                + " paid through Stripe 0 | stripe " + stripeInvoice + " total 10 USD, paid 10, paid (amount paid differs)",
                "MISMATCH: 2 difference(s)");
    }

    @Test
    void needsAnApiKeyAndAMonth() {
        ToolRun noKey = ToolRun.against(database, "reconcile", "--period", lastMonth.toString());
        assertThat(noKey.exit()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(noKey.err()).contains("--orb-api-key or --stripe-api-key");
        ToolRun badMonth = ToolRun.against(database, "reconcile", "--period", "2026-10-01", "--orb-api-key", "k");
        assertThat(badMonth.exit()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(badMonth.err()).contains("--period takes a month, e.g. 2026-10");
    }

    private ToolRun reconcile() {
        return ToolRun.against(database, "reconcile", "--period", lastMonth.toString(), "--orb-api-key", FakeOrb.API_KEY,
                "--orb-base-url", ORB.baseUrl(), "--stripe-api-key", FakeStripe.API_KEY,
                "--stripe-base-url", STRIPE.baseUrl());
    }

    /** A plan at 0.002 per GPU second and 0.02 per image, and an account on it billed from last month. */
    private String openAccountWithUsage(Api api, String gpuSeconds) {
        String planId = Api.unique("plan");
        assertThat(api.post("/v1/plans", ServerTest.ADMIN_KEY, """
                {"planId":"%s","currency":"USD","effectiveFrom":"2026-01-01T00:00:00Z","minimumCommitment":"10",
                 "prices":[{"meter":"gpu_seconds","model":"per_unit","unitPrice":"0.002"},
                           {"meter":"images","model":"per_unit","unitPrice":"0.02"}]}""".formatted(planId))
                .status()).isEqualTo(201);
        String accountId = Api.unique("acct");
        assertThat(api.post("/v1/accounts", ServerTest.ADMIN_KEY, """
                {"accountId":"%s","name":"Reconcile Co","currency":"USD","planId":"%s","billingStart":"%s"}"""
                .formatted(accountId, planId, lastPeriod)).status()).isEqualTo(201);
        Instant during = lastPeriod.plus(Duration.ofDays(3));
        Api.Response usage = api.post("/v1/usage", ServerTest.ADMIN_KEY, """
                {"events":[{"idempotencyKey":"%1$s-g1","accountId":"%1$s","meter":"gpu_seconds","quantity":"%2$s","timestamp":"%3$s"},
                           {"idempotencyKey":"%1$s-i1","accountId":"%1$s","meter":"images","quantity":"3","timestamp":"%3$s"}]}"""
                .formatted(accountId, gpuSeconds, during));
        assertThat(usage.status()).as(usage.raw().body()).isEqualTo(200);
        return accountId;
    }

    private String close(Api api, String accountId) {
        Api.Response closed = api.post("/v1/accounts/" + accountId + "/invoices", ServerTest.ADMIN_KEY,
                "{\"periodStart\":\"" + lastPeriod + "\"}");
        assertThat(closed.status()).as(closed.raw().body()).isEqualTo(201);
        assertThat(closed.body().get("total").asText()).isEqualTo("10.00");
        return closed.body().get("invoiceId").asText();
    }

    private static JsonNode invoice(Api api, String invoiceId) {
        return api.get("/v1/invoices/" + invoiceId, ServerTest.ADMIN_KEY).body();
    }
}
