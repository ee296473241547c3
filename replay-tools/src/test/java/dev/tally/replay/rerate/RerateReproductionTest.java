package dev.tally.replay.rerate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ledger.api.invoice.InvoiceLine;
import dev.tally.ledger.api.invoice.LineKind;
import dev.tally.ledger.testing.MovableClock;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.Eventually;
import dev.tally.server.testing.InProcessServer;
import dev.tally.server.testing.ServerTest;
import dev.tally.server.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

// Goal: under the account's own plan, rerate reproduces real invoices whose history holds every kind
// of command the account takes: batches, negative accruals, voided and expired grants, usage recorded
// before the previous close, a voided invoice, payments, refunds and a plan version taking effect mid-period.
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RerateReproductionTest {

    private static final String ACCOUNT = "globex";
    private static final Instant FEBRUARY = Instant.parse("2030-02-01T00:00:00Z");
    private static final Instant MARCH = Instant.parse("2030-03-01T00:00:00Z");
    private static final Duration EXPIRY_WAIT_MAX = Duration.ofSeconds(15);

    private final MovableClock clock = new MovableClock(Instant.parse("2030-02-10T09:00:00Z"));
    private TestDatabase.Endpoint database;

    @BeforeAll
    void recordABusyLedger() throws Exception {
        database = TestDatabase.fresh("rerate_reproduction");
        try (InProcessServer server = InProcessServer.start(database, clock, Map.of(
                "tally.invoice.scheduler-enabled", "false", "tally.audit.checkpoint-enabled", "false",
                "tally.expiry.initial-delay", "PT0S", "tally.expiry.interval", "PT0.2S"))) {
            Api api = server.api();
            expect(201, api.post("/v1/plans", ServerTest.ADMIN_KEY, """
                    {"planId":"tiered","currency":"USD","effectiveFrom":"2030-01-01T00:00:00Z","minimumCommitment":"5.00",
                     "prices":[{"meter":"gpu_seconds","model":"volume","tiers":[{"upTo":"1000","unitPrice":"0.002"},
                                                                             {"upTo":null,"unitPrice":"0.001"}]},
                               {"meter":"images","model":"package","packageSize":"10","packagePrice":"0.50"}]}"""));
            expect(201, api.post("/v1/accounts", ServerTest.ADMIN_KEY, """
                    {"accountId":"globex","name":"Globex","currency":"USD","planId":"tiered",
                     "billingStart":"2030-02-01T00:00:00Z","lowBalanceThreshold":"3.00"}"""));
            usage(api, event("g-1", "gpu_seconds", "900", "2030-02-10T08:00:00Z"));

            at("2030-02-11T09:00:00Z");
            expect(201, api.post("/v1/accounts/globex/credits", ServerTest.ADMIN_KEY, """
                    {"grantId":"pre","amount":"4.00","kind":"prepaid","expiresAt":"2030-03-10T00:00:00Z"}"""));
            at("2030-02-12T09:00:00Z");
            usage(api, event("g-2", "gpu_seconds", "50", "2030-02-12T08:00:00Z") + ","
                    + event("i-1", "images", "25", "2030-02-12T08:30:00Z"));
            at("2030-02-20T09:00:00Z");
            expect(201, api.post("/v1/accounts/globex/credits", ServerTest.ADMIN_KEY, """
                    {"grantId":"promo-feb","amount":"2.00","kind":"promotional"}"""));
            at("2030-02-21T09:00:00Z");
            expect(200, api.post("/v1/accounts/globex/credits/promo-feb/void", ServerTest.ADMIN_KEY,
                    "{\"reason\":\"granted by mistake\"}"));
            at("2030-02-25T09:00:00Z");
            expect(201, api.post("/v1/accounts/globex/charges", ServerTest.ADMIN_KEY, """
                    {"chargeId":"setup","amount":"3.00","description":"Setup fee"}"""));
            at("2030-02-26T09:00:00Z");
            // 950 -> 1050 GPU seconds crosses the volume tier: a negative accrual.
            usage(api, event("g-3", "gpu_seconds", "100", "2030-02-26T08:00:00Z"));
            at("2030-03-01T00:30:00Z");
            usage(api, event("g-4", "gpu_seconds", "1200", "2030-03-01T00:10:00Z"));

            at("2030-03-01T01:00:00Z");
            Api.Response february = expect(201, api.post("/v1/accounts/globex/invoices", ServerTest.ADMIN_KEY,
                    "{\"periodStart\":\"" + FEBRUARY + "\"}"));
            at("2030-03-01T02:00:00Z");
            expect(200, api.post("/v1/invoices/" + february.body().get("invoiceId").asText() + "/void",
                    ServerTest.ADMIN_KEY, "{\"restoreCredits\":true,\"reason\":\"disputed\"}"));
            at("2030-03-02T09:00:00Z");
            expect(201, api.post("/v1/accounts/globex/payments", ServerTest.ADMIN_KEY, """
                    {"paymentId":"pay-g","amount":"20.00","method":"card"}"""));
            at("2030-03-03T09:00:00Z");
            expect(201, api.post("/v1/accounts/globex/refunds", ServerTest.ADMIN_KEY, """
                    {"refundId":"ref-g","paymentId":"pay-g","amount":"5.00"}"""));

            at("2030-03-10T00:00:30Z");
            awaitExpiry();
            at("2030-03-15T09:00:00Z");
            expect(201, api.post("/v1/plans", ServerTest.ADMIN_KEY, """
                    {"planId":"tiered","currency":"USD","effectiveFrom":"2030-03-20T00:00:00Z","minimumCommitment":"6.00",
                     "prices":[{"meter":"gpu_seconds","model":"per_unit","unitPrice":"0.0025"},
                               {"meter":"images","model":"package","packageSize":"10","packagePrice":"0.60"}]}"""));
            at("2030-03-21T09:00:00Z");
            usage(api, event("g-5", "gpu_seconds", "100", "2030-03-21T08:00:00Z") + ","
                    + event("i-2", "images", "7", "2030-03-21T08:00:00Z"));
            at("2030-03-22T09:00:00Z");
            expect(201, api.post("/v1/accounts/globex/credits", ServerTest.ADMIN_KEY, """
                    {"grantId":"late-promo","amount":"1.00","kind":"promotional"}"""));
            at("2030-03-23T09:00:00Z");
            usage(api, event("g-6", "gpu_seconds", "10", "2030-03-23T08:00:00Z"));

            at("2030-04-01T01:00:00Z");
            expect(201, api.post("/v1/accounts/globex/invoices", ServerTest.ADMIN_KEY,
                    "{\"periodStart\":\"" + MARCH + "\"}"));
        }
    }

    @Test
    void reratingABusyPeriodUnderTheOwnPlanReproducesItsInvoice() throws SQLException {
        RerateReport report = rerate(MARCH, "tiered");

        assertThat(report.notes()).isEmpty();
        assertThat(report.rerated()).isEqualTo(report.real());
        assertThat(report.reproducesRealInvoice()).isTrue();
        assertThat(report.real().lines()).extracting(line -> line.kind() + " " + line.planVersion())
                .as("usage under both versions, the minimum of version 2")
                .contains("USAGE 2", "MINIMUM null");
    }

    @Test
    void reratingTheVoidedPeriodUnderTheOwnPlanReproducesItsInvoice() throws SQLException {
        RerateReport report = rerate(FEBRUARY, "tiered");

        assertThat(report.notes()).isEmpty();
        assertThat(report.rerated()).isEqualTo(report.real());
    }

    @Test
    void aFixedVersionPricesTheWholePeriod() throws SQLException {
        RerateReport report = rerate(MARCH, "tiered:1");

        assertThat(report.notes()).isEmpty();
        // The real invoice's usage lines (GPU seconds and images) are version 2's; rerated under version 1,
        // the same lines are version 1's, and so is the minimum.
        assertThat(report.real().lines()).filteredOn(line -> line.kind() == LineKind.USAGE)
                .extracting(InvoiceLine::planVersion).containsExactly(2, 2);
        assertThat(report.rerated().lines()).filteredOn(line -> line.kind() == LineKind.USAGE)
                .extracting(InvoiceLine::planVersion).containsExactly(1, 1);
        assertThat(report.rerated().lines()).filteredOn(line -> line.kind() == LineKind.MINIMUM)
                .singleElement().satisfies(line -> assertThat(line.description()).contains("minimum 5.00"));
    }

    private RerateReport rerate(Instant period, String plan) throws SQLException {
        try (Connection connection = database.ownerConnection()) {
            return new Rerating(connection).rerate(ACCOUNT, period, PlanSpec.parse(plan));
        }
    }

    private void at(String instant) {
        clock.set(Instant.parse(instant));
    }

    private void awaitExpiry() {
        Eventually.awaitTrue("the expiry scheduler expires grant pre", EXPIRY_WAIT_MAX, () -> expiries() == 1);
    }

    private long expiries() throws SQLException {
        try (Connection connection = database.ownerConnection(); PreparedStatement statement = connection.prepareStatement(
                "SELECT count(*) FROM events.domain_event_entry WHERE aggregateIdentifier = ? AND payloadType = ?")) {
            statement.setString(1, ACCOUNT);
            statement.setString(2, dev.tally.ledger.api.credit.CreditExpired.class.getName());
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static String event(String key, String meter, String quantity, String timestamp) {
        return """
                {"idempotencyKey":"%s","accountId":"globex","meter":"%s","quantity":"%s","timestamp":"%s"}"""
                .formatted(key, meter, quantity, timestamp);
    }

    private static void usage(Api api, String events) {
        Api.Response response = api.post("/v1/usage", ServerTest.ADMIN_KEY, "{\"events\":[" + events + "]}");
        int sent = events.split("\"idempotencyKey\"", -1).length - 1;
        assertThat(response.body().get("results").findValuesAsText("status")).as(response.raw().body())
                .hasSize(sent).containsOnly("accepted");
    }

    private static Api.Response expect(int status, Api.Response response) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(status);
        return response;
    }
}
