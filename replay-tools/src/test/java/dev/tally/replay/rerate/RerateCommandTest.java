package dev.tally.replay.rerate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.ledger.api.invoice.InvoiceIssued;
import dev.tally.replay.ReplayTools;
import dev.tally.ledger.api.invoice.InvoiceLine;
import dev.tally.ledger.testing.MovableClock;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.InProcessServer;
import dev.tally.server.testing.ServerTest;
import dev.tally.server.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

// Goal: rerate reproduces a real invoice exactly under the account's own plan, prices the period by
// the spec's rules under another plan, writes nothing, and refuses bad input with exit code 2.
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RerateCommandTest {

    private static final String ACCOUNT = "acme";
    private static final String METERED = "metered";
    private static final String COMMITTED = "committed";
    private static final Instant FEBRUARY = Instant.parse("2030-02-01T00:00:00Z");
    private static final Instant MARCH = Instant.parse("2030-03-01T00:00:00Z");

    private final MovableClock clock = new MovableClock(Instant.parse("2030-02-10T09:00:00Z"));
    private TestDatabase.Endpoint database;
    private JsonNode realMarchInvoice;

    /**
     * February: 100 GPU seconds, invoiced. March: a promotional grant of 8.00, 400 GPU seconds of
     * February received late, 3533 GPU seconds and 150 images, a 15.00 charge, a 10.00 payment, then
     * the close. The account is on "metered"; "committed" is the plan to rerate under.
     */
    @BeforeAll
    void recordALedger() {
        database = TestDatabase.fresh("rerate_command");
        try (InProcessServer server = InProcessServer.start(database, clock, Map.of(
                "tally.invoice.scheduler-enabled", "false", "tally.audit.checkpoint-enabled", "false"))) {
            Api api = server.api();
            created(api.post("/v1/plans", ServerTest.ADMIN_KEY, """
                    {"planId":"metered","currency":"USD","effectiveFrom":"2030-01-01T00:00:00Z","prices":[
                      {"meter":"gpu_seconds","model":"per_unit","unitPrice":"0.0015"},
                      {"meter":"images","model":"graduated","tiers":[{"upTo":"100","unitPrice":"0.04"},
                                                                    {"upTo":null,"unitPrice":"0.025"}]}]}"""));
            created(api.post("/v1/plans", ServerTest.ADMIN_KEY, """
                    {"planId":"committed","currency":"USD","effectiveFrom":"2030-01-01T00:00:00Z",
                     "minimumCommitment":"25.00","prices":[
                      {"meter":"gpu_seconds","model":"graduated","tiers":[{"upTo":"1000","unitPrice":"0.002"},
                                                {"upTo":null,"unitPrice":"0.001","flatFee":"0.25"}]},
                      {"meter":"images","model":"per_unit","unitPrice":"0.03"}]}"""));
            created(api.post("/v1/plans", ServerTest.ADMIN_KEY, """
                    {"planId":"euro","currency":"EUR","effectiveFrom":"2030-01-01T00:00:00Z","prices":[
                      {"meter":"gpu_seconds","model":"per_unit","unitPrice":"0.001"}]}"""));
            created(api.post("/v1/accounts", ServerTest.ADMIN_KEY, """
                    {"accountId":"acme","name":"Acme","currency":"USD","planId":"metered",
                     "billingStart":"2030-02-01T00:00:00Z"}"""));
            usage(api, "feb-1", "gpu_seconds", "100", "2030-02-10T08:00:00Z");

            clock.set(Instant.parse("2030-03-01T01:00:00Z"));
            created(api.post("/v1/accounts/acme/invoices", ServerTest.ADMIN_KEY, "{\"periodStart\":\"" + FEBRUARY + "\"}"));

            clock.set(Instant.parse("2030-03-02T10:00:00Z"));
            created(api.post("/v1/accounts/acme/credits", ServerTest.ADMIN_KEY, """
                    {"grantId":"welcome","amount":"8.00","kind":"promotional","description":"Welcome credit"}"""));
            clock.set(Instant.parse("2030-03-03T10:00:00Z"));
            usage(api, "feb-late", "gpu_seconds", "400", "2030-02-27T12:00:00Z");
            clock.set(Instant.parse("2030-03-05T10:00:00Z"));
            usage(api, "mar-1", "gpu_seconds", "1200", "2030-03-05T09:00:00Z");
            clock.set(Instant.parse("2030-03-06T10:00:00Z"));
            usage(api, "mar-2", "images", "80", "2030-03-06T09:00:00Z");
            clock.set(Instant.parse("2030-03-07T10:00:00Z"));
            usage(api, "mar-3", "gpu_seconds", "2333", "2030-03-07T09:00:00Z");
            clock.set(Instant.parse("2030-03-08T10:00:00Z"));
            usage(api, "mar-4", "images", "70", "2030-03-08T09:00:00Z");
            clock.set(Instant.parse("2030-03-09T10:00:00Z"));
            created(api.post("/v1/accounts/acme/charges", ServerTest.ADMIN_KEY, """
                    {"chargeId":"onboarding","amount":"15.00","description":"Onboarding"}"""));
            clock.set(Instant.parse("2030-03-12T10:00:00Z"));
            created(api.post("/v1/accounts/acme/payments", ServerTest.ADMIN_KEY, """
                    {"paymentId":"pay-1","amount":"10.00","method":"card"}"""));

            clock.set(Instant.parse("2030-04-01T01:00:00Z"));
            Api.Response close = created(api.post("/v1/accounts/acme/invoices", ServerTest.ADMIN_KEY,
                    "{\"periodStart\":\"" + MARCH + "\"}"));
            String invoiceId = close.body().get("invoiceId").asText();
            Api.Response invoice = api.get("/v1/invoices/" + invoiceId + "?minPosition=" + close.position(),
                    ServerTest.ADMIN_KEY);
            assertThat(invoice.status()).as(invoice.raw().body()).isEqualTo(200);
            realMarchInvoice = invoice.body();
        }
    }

    @Test
    void reratingUnderTheAccountsOwnPlanReproducesTheRealInvoiceExactly() throws SQLException {
        for (String ownPlan : List.of(METERED, METERED + ":1")) {
            RerateReport report = rerate(PlanSpec.parse(ownPlan));

            assertThat(report.notes()).as(ownPlan).isEmpty();
            assertThat(report.reproducesRealInvoice()).as(ownPlan).isTrue();
            assertThat(report.rerated()).as(ownPlan).isEqualTo(report.real());
            assertThat(asTheApiShowsIt(report.rerated())).as(ownPlan).isEqualTo(asTheApiShowsIt(realMarchInvoice));
        }
        assertThat(asTheApiShowsIt(realMarchInvoice)).containsExactly(
                "late_usage gpu_seconds 2030-02-01T00:00:00Z 400 v1 0.60",
                "usage gpu_seconds 2030-03-01T00:00:00Z 3533 v1 5.30",
                "usage images 2030-03-01T00:00:00Z 150 v1 5.25",
                "charge null 2030-03-01T00:00:00Z null null 15.00",
                "subtotal 26.15", "creditsApplied 8.00", "total 18.15");

        Run run = run("--account", ACCOUNT, "--period", MARCH.toString(), "--plan", METERED);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("The rerated invoice is the real one, line for line and figure for figure.");
    }

    /**
     * Under "committed", by the spec's rules. GPU seconds graduated (1000 at 0.002, then 0.001 plus a
     * 0.25 flat fee once entered): f(3533) = 2.00 + 2.533 + 0.25 = 4.783, line 4.78. Images at 0.03:
     * 150 × 0.03 = 4.50. Usage 9.28 is below the 25.00 minimum: true-up 15.72. February's late usage
     * keeps its real price, 400 × 0.0015 = 0.60. Subtotal 0.60 + 4.78 + 4.50 + 15.00 + 15.72 = 40.60.
     * The 8.00 grant funds 2.45 + 2.40 + 2.333 + 0.817 of the March usage, so 8.00 of credit is
     * applied and 32.60 is owed.
     */
    @Test
    void reratingUnderAnotherPlanPricesThePeriodByThatPlan() throws SQLException {
        RerateReport report = rerate(PlanSpec.parse(COMMITTED));

        assertThat(report.notes()).isEmpty();
        assertThat(asTheApiShowsIt(report.rerated())).containsExactly(
                "late_usage gpu_seconds 2030-02-01T00:00:00Z 400 v1 0.60",
                "usage gpu_seconds 2030-03-01T00:00:00Z 3533 v1 4.78",
                "usage images 2030-03-01T00:00:00Z 150 v1 4.50",
                "charge null 2030-03-01T00:00:00Z null null 15.00",
                "minimum null 2030-03-01T00:00:00Z null null 15.72",
                "subtotal 40.60", "creditsApplied 8.00", "total 32.60");
        assertThat(report.rerated().lines().get(1).exactAmount().amount()).isEqualByComparingTo("4.783");
        assertThat(RerateReportFormat.amount(report.totalDifference())).isEqualTo("14.45");
        assertThat(asTheApiShowsIt(report.real())).isEqualTo(asTheApiShowsIt(realMarchInvoice));
        assertThat(rerate(PlanSpec.parse(COMMITTED + ":1")).rerated()).isEqualTo(report.rerated());

        Run run = run("--account", ACCOUNT, "--period", MARCH.toString(), "--plan", COMMITTED);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .containsPattern("usage +gpu_seconds +2030-03-01 +3533 +metered v1 +committed v1 +5\\.30 +4\\.78 +-0\\.52")
                .containsPattern("minimum +2030-03-01 +- +15\\.72 +\\+15\\.72")
                .containsPattern("total +18\\.15 +32\\.60 +\\+14\\.45");
    }

    @Test
    void reratingWritesNothingToTheLedger() throws SQLException {
        long before = eventCount();

        assertThat(run("--account", ACCOUNT, "--period", MARCH.toString(), "--plan", COMMITTED).exitCode()).isZero();
        assertThat(run("--account", ACCOUNT, "--period", MARCH.toString(), "--plan", METERED).exitCode()).isZero();

        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void cannotRerateWhatTheLedgerDoesNotHold() {
        String march = MARCH.toString();
        assertRefused(run("--account", "nobody", "--period", march, "--plan", COMMITTED), "no account nobody");
        assertRefused(run("--account", ACCOUNT, "--period", "2030-05-01T00:00:00Z", "--plan", COMMITTED),
                "no invoice for a period starting at 2030-05-01T00:00:00Z");
        assertRefused(run("--account", ACCOUNT, "--period", "2030-03-02T00:00:00Z", "--plan", COMMITTED),
                "no invoice for a period starting at 2030-03-02T00:00:00Z");
        assertRefused(run("--account", ACCOUNT, "--period", "March", "--plan", COMMITTED), "--period takes");
        assertRefused(run("--account", ACCOUNT, "--period", march, "--plan", "premium"), "no plan premium");
        assertRefused(run("--account", ACCOUNT, "--period", march, "--plan", "committed:2"),
                "plan committed has versions 1 to 1, not 2");
        assertRefused(run("--account", ACCOUNT, "--period", march, "--plan", "committed:0"), "--plan takes");
        assertRefused(run("--account", ACCOUNT, "--period", march, "--plan", "committed:x"), "no plan committed:x");
        assertRefused(run("--account", ACCOUNT, "--period", march, "--plan", "euro"), "priced in EUR");
        assertRefused(run("--account", ACCOUNT, "--period", march), "Missing required option: '--plan");
        assertRefused(runAgainst("jdbc:postgresql://127.0.0.1:1/tally", "--account", ACCOUNT, "--period", march,
                "--plan", COMMITTED), "cannot connect to jdbc:postgresql://127.0.0.1:1/tally");
    }

    @Test
    void helpStatesWhatTheChosenPlanPrices() {
        Run run = run("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("usage whose timestamp falls in the period")
                .contains("minimum commitment").contains("late usage of earlier periods");
    }

    private RerateReport rerate(PlanSpec plan) throws SQLException {
        try (Connection connection = database.ownerConnection()) {
            return new Rerating(connection).rerate(ACCOUNT, MARCH, plan);
        }
    }

    /** An invoice's lines and figures as the API writes them, one string each. */
    private static List<String> asTheApiShowsIt(InvoiceIssued invoice) {
        List<String> shown = new ArrayList<>();
        for (InvoiceLine line : invoice.lines()) {
            shown.add(line.kind().wireName() + " " + line.meter() + " " + line.periodStart() + " "
                    + (line.quantity() == null ? null : line.quantity().stripTrailingZeros().toPlainString()) + " "
                    + (line.planVersion() == null ? null : "v" + line.planVersion()) + " "
                    + RerateReportFormat.amount(line.amount()));
        }
        shown.add("subtotal " + RerateReportFormat.amount(invoice.subtotal()));
        shown.add("creditsApplied " + RerateReportFormat.amount(invoice.creditsApplied()));
        shown.add("total " + RerateReportFormat.amount(invoice.total()));
        return shown;
    }

    private static List<String> asTheApiShowsIt(JsonNode invoice) {
        List<String> shown = new ArrayList<>();
        for (JsonNode line : invoice.get("lines")) {
            shown.add(line.get("kind").asText() + " " + text(line.get("meter")) + " " + text(line.get("period")) + " "
                    + text(line.get("quantity")) + " "
                    + (line.get("planVersion").isNull() ? null : "v" + line.get("planVersion").asText()) + " "
                    + line.get("amount").asText());
        }
        shown.add("subtotal " + invoice.get("subtotal").asText());
        shown.add("creditsApplied " + invoice.get("creditsApplied").asText());
        shown.add("total " + invoice.get("total").asText());
        return shown;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private long eventCount() throws SQLException {
        try (Connection connection = database.ownerConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT count(*) FROM events.domain_event_entry")) {
            row.next();
            return row.getLong(1);
        }
    }

    private record Run(int exitCode, String out, String err) {
    }

    private Run run(String... arguments) {
        return runAgainst(database.url(), arguments);
    }

    private Run runAgainst(String url, String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("rerate"));
        all.addAll(List.of(arguments));
        all.addAll(List.of("--db-url", url, "--db-user", database.ownerUser(),
                "--db-password", database.ownerPassword()));
        int exitCode = ReplayTools.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(all.toArray(String[]::new));
        return new Run(exitCode, out.toString(), err.toString());
    }

    private static void assertRefused(Run run, String message) {
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.err()).contains(message);
    }

    private static Api.Response created(Api.Response response) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        return response;
    }

    private static void usage(Api api, String key, String meter, String quantity, String timestamp) {
        Api.Response response = api.post("/v1/usage", ServerTest.ADMIN_KEY, """
                {"events":[{"idempotencyKey":"%s","accountId":"acme","meter":"%s","quantity":"%s","timestamp":"%s"}]}"""
                .formatted(key, meter, quantity, timestamp));
        assertThat(response.body().get("results").get(0).get("status").asText()).as(response.raw().body())
                .isEqualTo("accepted");
    }
}
