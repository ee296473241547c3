package dev.tally.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.ledger.serialization.LedgerJson;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.EventTimestamps;
import dev.tally.server.testing.InProcessServer;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.ServerTest;
import dev.tally.server.testing.TestDatabase;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

// Goal: every command answers from the events exactly what the live server answers, against a ledger built over HTTP.
class ReplayToolsTest {

    private static final String KEY = ServerTest.ADMIN_KEY;
    private static final ObjectMapper JSON = LedgerJson.newMapper();

    /** One stored event as the test reads it directly from the table. */
    private record Row(long position, String eventId, long sequence, JsonNode payload) {
    }

    private static TestDatabase.Endpoint database;
    private static InProcessServer server;
    private static LedgerScenario ledger;
    private static final List<Instant> instants = new ArrayList<>();
    private static final List<JsonNode> liveBalances = new ArrayList<>();

    @BeforeAll
    static void ledgerBuiltOverHttp() {
        database = TestDatabase.fresh("replay_tools");
        server = InProcessServer.start(database, Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000)),
                Map.of("tally.invoice.scheduler-enabled", "false"));
        Api api = server.api();
        ledger = LedgerScenario.open(api, KEY);
        String base = "/v1/accounts/" + ledger.accountId;
        Instant recently = LedgerScenario.recently();
        List<Supplier<Api.Response>> steps = List.of(
                () -> api.post(base + "/credits", KEY, """
                        {"grantId":"prepaid-1","amount":"3","kind":"prepaid","effectiveAt":"2026-01-01T00:00:00Z"}"""),
                () -> api.post(base + "/credits", KEY, """
                        {"grantId":"promo-1","amount":"2","kind":"promotional","effectiveAt":"2026-01-01T00:00:00Z",
                         "expiresAt":"2099-01-01T00:00:00Z","description":"welcome, \\"friend\\"\\nsecond line"}"""),
                () -> ledger.usage("u1", "gpu_seconds", "1000", recently),
                () -> ledger.usage("u2", "images", "120", recently.minus(Duration.ofDays(1))),
                () -> api.post(base + "/charges", KEY, """
                        {"chargeId":"january","amount":"12","description":"January support",
                         "timestamp":"2026-01-15T00:00:00Z"}"""),
                () -> api.post(base + "/invoices", KEY, "{\"periodStart\":\"2026-01-01T00:00:00Z\"}"),
                () -> api.post(base + "/payments", KEY, "{\"paymentId\":\"pay-1\",\"amount\":\"20\",\"method\":\"wire\"}"),
                () -> api.post(base + "/refunds", KEY, "{\"refundId\":\"ref-1\",\"paymentId\":\"pay-1\",\"amount\":\"5\"}"),
                () -> api.post(base + "/credits/promo-1/void", KEY, "{\"reason\":\"test\"}"));
        for (Supplier<Api.Response> step : steps) {
            Api.Response answer = step.get();
            assertThat(answer.status()).as(answer.raw().body()).isBetween(200, 201);
            liveBalances.add(ledger.balance(answer.position()).body());
            // The instant falls strictly between this step's events and the next step's.
            instants.add(EventTimestamps.betweenEvents());
        }
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void ndjsonExportRoundTripsEveryEvent() throws Exception {
        ToolRun run = ToolRun.against(database, "export", "--account", ledger.accountId, "--format", "ndjson");

        assertThat(run.exit()).as(run.err()).isZero();
        List<Row> stored = storedEvents();
        List<JsonNode> exported = new ArrayList<>();
        for (String line : run.outLines()) {
            exported.add(JSON.readTree(line));
        }
        assertThat(exported).hasSameSizeAs(stored);
        for (int i = 0; i < stored.size(); i++) {
            JsonNode record = exported.get(i);
            assertThat(record.get("eventId").asText()).isEqualTo(stored.get(i).eventId());
            assertThat(record.get("sequence").asLong()).isEqualTo(stored.get(i).sequence());
            assertThat(record.get("position").asLong()).isEqualTo(stored.get(i).position());
            assertThat(record.get("aggregate").asText()).isEqualTo(ledger.accountId);
            assertThat(JSON.writeValueAsString(record.get("payload")))
                    .isEqualTo(JSON.writeValueAsString(stored.get(i).payload()));
            assertThat(record.has("hash")).isTrue();
        }
        assertThat(exported.get(0).get("type").asText()).isEqualTo("AccountOpened");
    }

    @Test
    void csvExportHasTheHeaderAndOneQuotedRowPerEvent() throws Exception {
        ToolRun run = ToolRun.against(database, "export", "--account", ledger.accountId, "--format", "CSV");

        assertThat(run.exit()).as(run.err()).isZero();
        List<CSVRecord> records = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(run.out())).getRecords();
        List<Row> stored = storedEvents();
        assertThat(records).hasSameSizeAs(stored);
        assertThat(records.get(0).getParser().getHeaderNames()).containsExactly("position", "eventId", "aggregate",
                "sequence", "type", "timestamp", "actor", "requestId", "causationId", "correlationId", "idempotencyKey",
                "hash", "prevHash", "payload");
        for (int i = 0; i < stored.size(); i++) {
            assertThat(records.get(i).get("eventId")).isEqualTo(stored.get(i).eventId());
            assertThat(JSON.writeValueAsString(JSON.readTree(records.get(i).get("payload"))))
                    .isEqualTo(JSON.writeValueAsString(stored.get(i).payload()));
        }
    }

    @Test
    void exportKeepsOnlyEventsRecordedInTheRange() throws Exception {
        ToolRun run = ToolRun.against(database, "export", "--account", ledger.accountId, "--format", "ndjson",
                "--from", instants.get(1).toString(), "--to", instants.get(3).toString());

        assertThat(run.exit()).as(run.err()).isZero();
        List<String> types = new ArrayList<>();
        for (String line : run.outLines()) {
            types.add(JSON.readTree(line).get("type").asText());
        }
        // Steps 3 and 4: the two usage events, and the depletion the second one caused.
        assertThat(types).containsExactly("UsageRecorded", "UsageRecorded", "CreditBalanceDepleted");
    }

    @Test
    void historyPrintsOneReadableLinePerEvent() {
        ToolRun run = ToolRun.against(database, "history", "--account", ledger.accountId);

        assertThat(run.exit()).as(run.err()).isZero();
        List<Row> stored = storedEvents();
        assertThat(run.outLines()).hasSameSizeAs(stored);
        for (int i = 0; i < stored.size(); i++) {
            assertThat(run.outLines().get(i)).contains("  #" + stored.get(i).sequence() + "  ");
        }
        assertThat(run.out()).contains("UsageRecorded  gpu_seconds 1000, accrued 2.00 USD")
                .contains("InvoiceIssued  invoice TLY-").contains("payment pay-1 received: 20.00 USD by wire");
    }

    @Test
    void balanceAsOfEachInstantEqualsTheLiveBalanceReadThen() throws Exception {
        for (int i = 0; i < instants.size(); i++) {
            ToolRun run = ToolRun.against(database, "balance", "--account", ledger.accountId, "--as-of",
                    instants.get(i).toString());

            assertThat(run.exit()).as(run.err()).isZero();
            ObjectNode offline = (ObjectNode) JSON.readTree(run.out());
            ObjectNode live = ((ObjectNode) liveBalances.get(i)).deepCopy();
            JsonNode serverAsOf = server.api().get("/v1/accounts/" + ledger.accountId + "/balance?asOf="
                    + instants.get(i), KEY).body();
            assertThat(offline).as("as of step %d, against the server's own asOf", i).isEqualTo(serverAsOf);
            // The live answer's position is the projection's, which may run ahead of the account's last event.
            offline.remove("position");
            live.remove("position");
            assertThat(offline).as("as of step %d, against the live answer then", i).isEqualTo(live);
        }
    }

    @Test
    void rebuildThenDiffFindsNothingAndThenExactlyTheAlteredRow() throws Exception {
        ToolRun rebuild = ToolRun.against(database, "rebuild", "--into", "shadow_test");
        assertThat(rebuild.exit()).as(rebuild.err()).isZero();
        assertThat(rebuild.err()).contains("events/s");

        ToolRun intact = ToolRun.against(database, "diff", "--live", "projections", "--shadow", "shadow_test");
        assertThat(intact.exit()).as(intact.out() + intact.err()).isZero();
        assertThat(intact.out()).isEmpty();
        assertThat(intact.err()).contains("no differences");

        try (Connection owner = database.ownerConnection()) {
            alterGrant(owner, "remaining + 1");
            try {
                ToolRun altered = ToolRun.against(database, "diff", "--live", "projections", "--shadow", "shadow_test");

                assertThat(altered.exit()).isEqualTo(ExitCodes.FINDING);
                assertThat(altered.outLines()).hasSize(1);
                assertThat(altered.outLines().get(0)).startsWith("credit_grant, account_id=" + ledger.accountId
                        + ", grant_id=prepaid-1, remaining: live=").contains(", shadow=");
            } finally {
                alterGrant(owner, "remaining - 1");
            }
        }
    }

    @Test
    void rebuildRefusesTheLiveSchemaAndBadNames() {
        assertThat(ToolRun.against(database, "rebuild", "--into", "projections").exit())
                .isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(ToolRun.against(database, "rebuild", "--into", "Bad-Name").exit())
                .isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(ToolRun.against(database, "rebuild", "--into", "events").exit())
                .isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
    }

    @Test
    void badArgumentsExitWithTwo() {
        assertThat(ToolRun.of().exit()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(ToolRun.of("export", "--account", "a", "--format", "xml").exit())
                .isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(ToolRun.of("balance", "--account", "a", "--as-of", "yesterday").exit())
                .isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(ToolRun.of("diff", "--live", "projections").exit()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(ToolRun.of("nonsense").exit()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        ToolRun unknown = ToolRun.against(database, "history", "--account", "no-such-account");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(unknown.err()).contains("unknown account no-such-account");
        ToolRun beforeOpening = ToolRun.against(database, "balance", "--account", ledger.accountId, "--as-of",
                "2020-01-01T00:00:00Z");
        assertThat(beforeOpening.exit()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : List.of("export", "history", "balance", "rebuild", "diff")) {
            ToolRun help = ToolRun.of(command, "--help");
            assertThat(help.exit()).isZero();
            assertThat(help.out()).contains("Usage: tally-replay " + command);
        }
    }

    @Test
    void anUnreachableDatabaseExitsWithTwoAndSaysSo() {
        ToolRun run = ToolRun.of("history", "--account", "a", "--db-url", "jdbc:postgresql://127.0.0.1:1/tally");

        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.err()).startsWith("error: cannot connect to jdbc:postgresql://127.0.0.1:1/tally");
        assertThat(run.out()).isEmpty();
    }

    private static void alterGrant(Connection owner, String remaining) throws Exception {
        try (PreparedStatement update = owner.prepareStatement("UPDATE projections.credit_grant SET remaining = "
                + remaining + " WHERE account_id = ? AND grant_id = 'prepaid-1'")) {
            update.setString(1, ledger.accountId);
            assertThat(update.executeUpdate()).isOne();
        }
    }

    private static List<Row> storedEvents() {
        List<Row> rows = new ArrayList<>();
        try (Connection owner = database.ownerConnection(); PreparedStatement query = owner.prepareStatement("""
                SELECT globalIndex, eventIdentifier, sequenceNumber, payload::text FROM events.domain_event_entry
                WHERE aggregateIdentifier = ? ORDER BY sequenceNumber""")) {
            query.setString(1, ledger.accountId);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    rows.add(new Row(row.getLong(1), row.getString(2), row.getLong(3), JSON.readTree(row.getString(4))));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }
}
