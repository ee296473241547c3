package dev.tally.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.testing.Api;
import dev.tally.server.testing.Eventually;
import dev.tally.server.testing.FakeBigQuery;
import dev.tally.server.testing.InProcessServer;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.ServerTest;
import dev.tally.server.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

// Goal: the backfill re-exports from a position with the server's row mapping, and running it again or beside the server duplicates nothing.
class ExportWarehouseTest {

    private static final String KEY = ServerTest.ADMIN_KEY;
    private static final Duration EXPORT_WAIT_MAX = Duration.ofSeconds(30);

    @TempDir
    static Path serverDataDir;

    private static TestDatabase.Endpoint database;
    private static InProcessServer server;
    private static FakeBigQuery bigQuery;

    @BeforeAll
    static void ledgerExportedByTheServerToNdjson() throws Exception {
        bigQuery = FakeBigQuery.start();
        database = TestDatabase.fresh("warehouse_backfill");
        server = InProcessServer.start(database, Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000)), Map.of(
                "tally.invoice.scheduler-enabled", "false",
                "tally.audit.checkpoint-enabled", "false",
                "tally.warehouse.enabled", "true",
                "tally.warehouse.fold-interval", "PT1H",
                "tally.db.data-dir", serverDataDir.toString()));
        Api api = server.api();
        LedgerScenario ledger = LedgerScenario.open(api, KEY);
        Instant recently = LedgerScenario.recently();
        assertThat(ledger.usage("u1", "gpu_seconds", "1000", recently).raw().body()).contains("accepted");
        assertThat(ledger.usage("u2", "images", "120", recently.minus(Duration.ofDays(1))).raw().body()).contains("accepted");
        assertThat(api.post("/v1/accounts/" + ledger.accountId + "/credits", KEY, """
                {"grantId":"prepaid-1","amount":"3","kind":"prepaid","effectiveAt":"2026-01-01T00:00:00Z"}""").status())
                .isEqualTo(201);
        assertThat(api.post("/v1/accounts/" + ledger.accountId + "/payments", KEY,
                "{\"paymentId\":\"pay-1\",\"amount\":\"20\",\"method\":\"wire\"}").status()).isEqualTo(201);
        Eventually.awaitTrue("the server exported every event", EXPORT_WAIT_MAX, () -> count(
                "SELECT count(*) FROM warehouse.exported_event") >= count("SELECT count(*) FROM events.domain_event_entry"));
    }

    @AfterAll
    static void stop() {
        server.close();
        bigQuery.close();
    }

    @Test
    void theBackfillWritesTheSameFilesAsTheServer(@TempDir Path backfillDataDir) throws Exception {
        ToolRun run = ToolRun.against(database, "export-warehouse", "--from", "1", "--data-dir", backfillDataDir.toString());

        assertThat(run.exit()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).startsWith(count("SELECT count(*) FROM events.domain_event_entry") + " events exported");
        assertThat(files(backfillDataDir.resolve("warehouse"))).isEqualTo(files(serverDataDir.resolve("warehouse")));
    }

    @Test
    void aSecondRunSendsNothingAndAResendDuplicatesNoLine(@TempDir Path backfillDataDir) throws Exception {
        assertThat(ToolRun.against(database, "export-warehouse", "--from", "1", "--data-dir", backfillDataDir.toString()).exit())
                .isEqualTo(ExitCodes.OK);
        Map<String, String> first = files(backfillDataDir.resolve("warehouse"));

        ToolRun again = ToolRun.against(database, "export-warehouse", "--from", "1", "--data-dir", backfillDataDir.toString());
        ToolRun resent = ToolRun.against(database, "export-warehouse", "--from", "1", "--resend",
                "--data-dir", backfillDataDir.toString());

        assertThat(again.out()).startsWith("0 events exported");
        assertThat(resent.exit()).as(resent.err()).isEqualTo(ExitCodes.OK);
        assertThat(files(backfillDataDir.resolve("warehouse"))).isEqualTo(first);
    }

    @Test
    void theBackfillToBigQueryStartsAtTheGivenPositionAndSkipsWhatWasAcknowledged() throws Exception {
        long from = count("SELECT min(globalIndex) FROM events.domain_event_entry WHERE payloadType LIKE '%UsageRecorded'");
        long expected = count("SELECT count(*) FROM events.domain_event_entry WHERE globalIndex >= " + from);
        String[] arguments = {"export-warehouse", "--from", String.valueOf(from), "--bigquery-project", "backfill-project",
                "--bigquery-dataset", "ledger", "--bigquery-host", bigQuery.host()};

        ToolRun first = ToolRun.against(database, arguments);
        ToolRun second = ToolRun.against(database, arguments);

        assertThat(first.exit()).as(first.err()).isEqualTo(ExitCodes.OK);
        assertThat(first.out()).startsWith(expected + " events exported to bigquery:backfill-project.ledger");
        assertThat(second.out()).startsWith("0 events exported").contains(expected + " already there");
        List<FakeBigQuery.StoredRow> rows = bigQuery.rows("ledger", "ledger_events");
        assertThat(rows).hasSize((int) expected);
        assertThat(rows).extracting(FakeBigQuery.StoredRow::insertId).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(eventIdsFrom(from));
        assertThat(rows).allSatisfy(row ->
                assertThat(Long.parseLong(FakeBigQuery.text(row.json(), "global_position"))).isGreaterThanOrEqualTo(from));
        assertThat(bigQuery.rows("ledger", "usage_daily")).hasSize(2);
    }

    /** Every NDJSON file under {@code directory} by its relative path, with its content. */
    private static Map<String, String> files(Path directory) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path file : paths.filter(path -> path.toString().endsWith(".ndjson")).toList()) {
                files.put(directory.relativize(file).toString(), Files.readString(file));
            }
        }
        assertThat(files).isNotEmpty();
        return files;
    }

    private static List<String> eventIdsFrom(long from) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection connection = database.ownerConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT eventIdentifier FROM events.domain_event_entry WHERE globalIndex >= " + from)) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    private static long count(String sql) throws SQLException {
        try (Connection connection = database.ownerConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
