package dev.tally.server.scheduling;

import static dev.tally.server.testing.Eventually.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.ledger.testing.MovableClock;
import dev.tally.projections.invoice.InvoiceQueries;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.InProcessServer;
import dev.tally.server.testing.ServerTest;
import dev.tally.server.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

// Goal: with the clock moved across period ends, the invoicing scheduler closes every period
// exactly once: on time, after a restart that spanned the period end, and with two servers racing.
class InvoiceSchedulerTest {

    private static final Instant MID_MARCH = Instant.parse("2030-03-10T00:00:00Z");
    private static final Instant MARCH = Instant.parse("2030-03-01T00:00:00Z");
    private static final Instant APRIL = Instant.parse("2030-04-01T00:00:00Z");
    private static final Map<String, String> SCHEDULER = Map.of(
            "tally.invoice.scheduler-enabled", "true",
            "tally.invoice.scheduler-initial-delay", "PT0S",
            "tally.invoice.scheduler-interval", "PT0.2S",
            "tally.invoice.grace-period", "PT1H");

    private final MovableClock clock = new MovableClock(MID_MARCH);

    @Test
    void closesAPeriodOnceAfterItsEndPlusTheGracePeriod() throws Exception {
        TestDatabase.Endpoint database = TestDatabase.fresh("scheduler_once");
        try (InProcessServer server = InProcessServer.start(database, clock, SCHEDULER)) {
            String account = openWithUsage(server.api(), "once");
            InvoiceScheduler scheduler = server.bean(InvoiceScheduler.class);
            awaitScheduled(server, account);

            clock.set(Instant.parse("2030-04-01T00:59:00Z"));
            // A run on the test's thread: when it returns, the scheduler has decided, so no wait is needed.
            scheduler.closeDuePeriods();
            assertThat(issuedEvents(database, account)).as("within the grace period").isZero();

            clock.set(Instant.parse("2030-04-01T01:00:01Z"));
            awaitTrue("the March invoice", () -> invoicesOf(database, account).size() == 1);
            // A run after the invoice is out closes nothing more (a lagging schedule only gets a duplicate answer).
            scheduler.closeDuePeriods();
            assertThat(issuedEvents(database, account)).as("closed once").isEqualTo(1);
            assertThat(invoicesOf(database, account)).containsExactly("TLY-2030-000001");
            JsonNode listed = server.api().get("/v1/accounts/" + account + "/invoices", ServerTest.ADMIN_KEY).body();
            assertThat(listed.get("items").get(0).get("total").asText()).isEqualTo("5.00");
            assertThat(listed.get("items").get(0).get("periodStart").asText()).isEqualTo(MARCH.toString());
        }
    }

    @Test
    void closesThePeriodsMissedWhileDownOnRestartInOrder() throws Exception {
        TestDatabase.Endpoint database = TestDatabase.fresh("scheduler_restart");
        String account;
        try (InProcessServer server = InProcessServer.start(database, clock, Map.of())) {
            account = openWithUsage(server.api(), "restart");
        }
        clock.set(Instant.parse("2030-06-15T00:00:00Z"));
        try (InProcessServer restarted = InProcessServer.start(database, clock, SCHEDULER)) {
            awaitTrue("the three missed invoices", () -> invoicesOf(database, account).size() == 3);
            restarted.bean(InvoiceScheduler.class).closeDuePeriods();
            assertThat(issuedEvents(database, account)).as("each period closed once").isEqualTo(3);
            assertThat(invoicesOf(database, account))
                    .containsExactly("TLY-2030-000001", "TLY-2030-000002", "TLY-2030-000003");
            assertThat(periodsOf(database, account)).containsExactly("2030-03-01 00:00:00+00",
                    "2030-04-01 00:00:00+00", "2030-05-01 00:00:00+00");
        }
    }

    @Test
    void twoServersRacingToCloseIssueOneInvoicePerPeriodWithGapFreeNumbers() throws Exception {
        TestDatabase.Endpoint database = TestDatabase.fresh("scheduler_race");
        try (InProcessServer first = InProcessServer.start(database, clock, SCHEDULER);
             InProcessServer second = InProcessServer.start(database, clock, SCHEDULER)) {
            List<String> accounts = new ArrayList<>();
            for (int index = 0; index < 12; index++) {
                accounts.add(openWithUsage((index % 2 == 0 ? first : second).api(), "race-" + index));
            }
            clock.set(Instant.parse("2030-04-01T02:00:00Z"));
            ExecutorService callers = Executors.newFixedThreadPool(8);
            try {
                List<Future<Integer>> answers = new ArrayList<>();
                for (String account : accounts) {
                    for (InProcessServer server : List.of(first, second)) {
                        answers.add(callers.submit(() -> server.api().post("/v1/accounts/" + account + "/invoices",
                                ServerTest.ADMIN_KEY, "{\"periodStart\":\"" + MARCH + "\"}").status()));
                    }
                }
                for (Future<Integer> answer : answers) {
                    assertThat(answer.get()).isIn(200, 201);
                }
            } finally {
                callers.shutdown();
            }
            // Every close was answered, so the event store is final; the projection is awaited before it is read.
            awaitTrue("every account's invoice projected",
                    () -> accounts.stream().allMatch(account -> invoicesOf(database, account).size() == 1));
            List<String> numbers = new ArrayList<>();
            for (String account : accounts) {
                assertThat(issuedEvents(database, account)).as(account).isEqualTo(1);
                numbers.addAll(invoicesOf(database, account));
            }
            List<String> expected = new ArrayList<>();
            for (int number = 1; number <= accounts.size(); number++) {
                expected.add(String.format("TLY-2030-%06d", number));
            }
            assertThat(numbers).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /** An account billed from March 2030 with 10 GPU seconds at 0.50 in it: a 5.00 invoice. */
    private String openWithUsage(Api api, String name) {
        String plan = "plan-" + name;
        assertThat(api.post("/v1/plans", ServerTest.ADMIN_KEY, """
                {"planId":"%s","currency":"USD","effectiveFrom":"2030-01-01T00:00:00Z",
                 "prices":[{"meter":"gpu_seconds","model":"per_unit","unitPrice":"0.50"}]}""".formatted(plan))
                .status()).isEqualTo(201);
        String account = "acct-" + name;
        assertThat(api.post("/v1/accounts", ServerTest.ADMIN_KEY, """
                {"accountId":"%s","name":"%s","currency":"USD","planId":"%s"}""".formatted(account, name, plan))
                .status()).isEqualTo(201);
        Api.Response usage = api.post("/v1/usage", ServerTest.ADMIN_KEY, """
                {"events":[{"idempotencyKey":"u1","accountId":"%s","meter":"gpu_seconds","quantity":"10",
                            "timestamp":"2030-03-05T00:00:00Z"}]}""".formatted(account));
        assertThat(usage.body().get("results").get(0).get("status").asText()).isEqualTo("accepted");
        return account;
    }

    private static List<String> invoicesOf(TestDatabase.Endpoint database, String account) {
        return strings(database, "SELECT number FROM projections.invoice WHERE account_id = '" + account
                + "' ORDER BY period_start");
    }

    private static List<String> periodsOf(TestDatabase.Endpoint database, String account) {
        return strings(database, "SELECT to_char(period_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00'"
                + " FROM projections.invoice WHERE account_id = '" + account + "' ORDER BY period_start");
    }

    /** Counted in the event store itself, so that a projection cannot hide a second invoice. */
    private static int issuedEvents(TestDatabase.Endpoint database, String account) {
        return Integer.parseInt(strings(database, "SELECT count(*) FROM events.domain_event_entry WHERE "
                + "aggregateIdentifier = '" + account + "' AND payloadType LIKE '%InvoiceIssued'").get(0));
    }

    private static List<String> strings(TestDatabase.Endpoint database, String sql) {
        try (Connection connection = database.ownerConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until the billing schedule projection names the account's March period as its next one:
     * until then a run of the scheduler that closes nothing would prove nothing.
     */
    private static void awaitScheduled(InProcessServer server, String account) {
        InvoiceQueries invoices = server.bean(InvoiceQueries.class);
        awaitTrue("March next in the billing schedule of " + account, () -> invoices
                .duePeriods(APRIL, InvoiceScheduler.MAX_CLOSES_PER_RUN)
                .contains(new InvoiceQueries.DuePeriod(account, MARCH, APRIL)));
    }
}
