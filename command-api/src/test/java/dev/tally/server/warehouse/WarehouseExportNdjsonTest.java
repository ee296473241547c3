package dev.tally.server.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.projections.warehouse.WarehouseExporter;
import dev.tally.server.testing.Eventually;
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
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

// Goal: without BigQuery, the export writes day-partitioned NDJSON files holding each event once, even when everything is sent again.
class WarehouseExportNdjsonTest {

    private static final Duration EXPORT_WAIT_MAX = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void eventsLandInDayPartitionedFilesOnceEvenWhenTheExportStartsOverFromScratch() throws Exception {
        TestDatabase.Endpoint database = TestDatabase.fresh("warehouse_ndjson");
        try (InProcessServer server = InProcessServer.start(database, Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000)),
                Map.of("tally.invoice.scheduler-enabled", "false",
                        "tally.audit.checkpoint-enabled", "false",
                        "tally.warehouse.enabled", "true",
                        "tally.db.data-dir", dataDir.toString()))) {
            LedgerScenario ledger = LedgerScenario.open(server.api(), ServerTest.ADMIN_KEY);
            Instant used = LedgerScenario.recently();
            assertThat(ledger.usage("u1", "gpu_seconds", "1500", used).raw().body()).contains("accepted");
            assertThat(ledger.usage("u2", "images", "3", used.minus(Duration.ofDays(2))).raw().body()).contains("accepted");
            long events = count(database, "SELECT count(*) FROM events.domain_event_entry");
            awaitLines("ledger_events", events);
            awaitLines("usage_daily", 2);

            Path warehouse = dataDir.resolve("warehouse");
            // Partitioned by the day each event was recorded, as the event store says: not by a day the test
            // guesses from its own clock, which would be wrong for events recorded just before midnight.
            assertThat(partitions(warehouse.resolve("ledger_events"))).as("ledger_events partitions")
                    .containsExactlyInAnyOrderElementsOf(recordingDays(database));
            assertThat(warehouse.resolve("usage_daily/dt=" + used.minus(Duration.ofDays(2)).toString().substring(0, 10)))
                    .isDirectory();
            JsonNode usage = lines("ledger_events").stream().filter(line -> line.path("meter").asText().equals("gpu_seconds"))
                    .findFirst().orElseThrow();
            assertThat(usage.path("amount").asText()).isEqualTo("3.000");
            assertThat(usage.path("amount").isTextual()).isTrue();
            assertThat(usage.path("occurred_at").asText()).isEqualTo(used.toString());

            // As if every acknowledgement had been lost in a crash: the exported-event ledger forgets everything
            // and the processor starts over, so every event is written to the files a second time.
            try (Connection connection = database.ownerConnection(); Statement statement = connection.createStatement()) {
                statement.execute("DELETE FROM warehouse.exported_event");
                statement.execute("DELETE FROM warehouse.export_watermark");
            }
            StreamingEventProcessor processor = server.bean(EventProcessingConfiguration.class)
                    .eventProcessor(WarehouseExporter.PROCESSING_GROUP, StreamingEventProcessor.class).orElseThrow();
            processor.shutDown();
            processor.resetTokens();
            processor.start();
            LedgerScenario marker = LedgerScenario.open(server.api(), ServerTest.ADMIN_KEY);
            long afterMarker = count(database, "SELECT count(*) FROM events.domain_event_entry");
            awaitLines("ledger_events", afterMarker);
            awaitExportedCount(database, afterMarker);

            List<String> eventIds = lines("ledger_events").stream().map(line -> line.path("event_id").asText()).toList();
            assertThat(eventIds).doesNotHaveDuplicates().hasSize((int) afterMarker);
            List<String> usageIds = lines("usage_daily").stream().map(line -> line.path("event_id").asText()).toList();
            assertThat(usageIds).doesNotHaveDuplicates().hasSize(2);
            assertThat(marker.accountId).isNotBlank();
            try (Stream<Path> files = Files.walk(warehouse)) {
                assertThat(files.filter(Files::isRegularFile).map(Path::getFileName).map(Path::toString)
                        .filter(name -> name.endsWith(".tmp"))).as("no temporary file left behind").isEmpty();
            }
        }
    }

    @Test
    void theExportLedgerFoldsIntoAWatermarkStopsAtARefusedRowAndAReplayStillWritesEachEventOnce() throws Exception {
        TestDatabase.Endpoint database = TestDatabase.fresh("warehouse_fold");
        try (InProcessServer server = InProcessServer.start(database, Clock.systemUTC(),
                Map.of("tally.invoice.scheduler-enabled", "false",
                        "tally.audit.checkpoint-enabled", "false",
                        "tally.warehouse.enabled", "true",
                        "tally.warehouse.fold-interval", "PT1H",
                        "tally.db.data-dir", dataDir.toString()))) {
            ExportLedgerFolding folding = server.bean(ExportLedgerFolding.class);
            LedgerScenario ledger = LedgerScenario.open(server.api(), ServerTest.ADMIN_KEY);
            Instant used = LedgerScenario.recently();
            for (int i = 0; i < 5; i++) {
                assertThat(ledger.usage("u" + i, "gpu_seconds", "10", used).raw().body()).contains("accepted");
            }
            long head = count(database, "SELECT max(globalIndex) FROM events.domain_event_entry");
            long events = count(database, "SELECT count(*) FROM events.domain_event_entry");
            awaitExportedCount(database, events);

            assertThat(folding.fold()).as("watermark").isEqualTo(head);
            assertThat(count(database, "SELECT count(*) FROM warehouse.exported_event")).as("rows left").isZero();
            assertThat(folding.fold()).as("folding again changes nothing").isEqualTo(head);

            // Replayed from the start, the export skips everything under the watermark.
            restartExportFromScratch(server);
            LedgerScenario second = LedgerScenario.open(server.api(), ServerTest.ADMIN_KEY);
            assertThat(second.usage("v1", "gpu_seconds", "10", used).raw().body()).contains("accepted");
            long newHead = count(database, "SELECT max(globalIndex) FROM events.domain_event_entry");
            long allEvents = count(database, "SELECT count(*) FROM events.domain_event_entry");
            awaitLines("ledger_events", allEvents);
            awaitExportedCount(database, allEvents - events);
            assertThat(count(database, "SELECT count(*) FROM warehouse.exported_event")).as("only the new events")
                    .isEqualTo(allEvents - events);
            assertThat(lines("ledger_events").stream().map(line -> line.path("event_id").asText()).toList())
                    .doesNotHaveDuplicates().hasSize((int) allEvents);

            // A refused row holds the watermark below it until the event is sent again (the operator's fix).
            long refused = newHead - 1;
            try (Connection connection = database.ownerConnection(); Statement statement = connection.createStatement()) {
                statement.execute("""
                        INSERT INTO warehouse.refused_row (target, table_name, event_id, global_position, reason, refused_at)
                        SELECT target, 'ledger_events', 'refused-by-the-test', %d, 'invalid', now()
                        FROM warehouse.export_watermark""".formatted(refused));
            }
            assertThat(folding.fold()).as("stopped before the refused row").isEqualTo(refused - 1);
            assertThat(count(database, "SELECT count(*) FROM warehouse.exported_event")).isEqualTo(2);
            try (Connection connection = database.ownerConnection(); Statement statement = connection.createStatement()) {
                statement.execute("DELETE FROM warehouse.exported_event WHERE global_position = " + refused);
            }
            restartExportFromScratch(server);
            Eventually.awaitTrue("the refused event sent again", EXPORT_WAIT_MAX,
                    () -> count(database, "SELECT count(*) FROM warehouse.refused_row") == 0);
            assertThat(folding.fold()).as("past the resolved row").isEqualTo(newHead);
            assertThat(count(database, "SELECT count(*) FROM warehouse.exported_event")).isZero();
            assertThat(lines("ledger_events").stream().map(line -> line.path("event_id").asText()).toList())
                    .doesNotHaveDuplicates().hasSize((int) allEvents);
        }
    }

    private static void restartExportFromScratch(InProcessServer server) {
        StreamingEventProcessor processor = server.bean(EventProcessingConfiguration.class)
                .eventProcessor(WarehouseExporter.PROCESSING_GROUP, StreamingEventProcessor.class).orElseThrow();
        processor.shutDown();
        processor.resetTokens();
        processor.start();
    }

    private void awaitLines(String table, long expected) {
        Eventually.awaitTrue(expected + " lines of " + table, EXPORT_WAIT_MAX, () -> lines(table).size() >= expected);
    }

    private static void awaitExportedCount(TestDatabase.Endpoint database, long expected) {
        Eventually.awaitTrue(expected + " events marked exported", EXPORT_WAIT_MAX,
                () -> count(database, "SELECT count(*) FROM warehouse.exported_event") >= expected);
    }

    /** The {@code dt=} partitions under a table's directory. */
    private static List<String> partitions(Path table) throws IOException {
        try (Stream<Path> directories = Files.list(table)) {
            return directories.map(Path::getFileName).map(Path::toString).toList();
        }
    }

    /** {@code dt=<day>} of every day on which the event store recorded an event (UTC, as its timestamps are). */
    private static List<String> recordingDays(TestDatabase.Endpoint database) throws SQLException {
        List<String> days = new ArrayList<>();
        try (Connection connection = database.ownerConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT DISTINCT timeStamp FROM events.domain_event_entry")) {
            while (rows.next()) {
                String day = "dt=" + Instant.parse(rows.getString(1)).atOffset(ZoneOffset.UTC).toLocalDate();
                if (!days.contains(day)) {
                    days.add(day);
                }
            }
        }
        return days;
    }

    /** Every line of every file of {@code table}, parsed. */
    private List<JsonNode> lines(String table) throws IOException {
        Path directory = dataDir.resolve("warehouse").resolve(table);
        List<JsonNode> lines = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return lines;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(path -> path.getFileName().toString().endsWith(".ndjson")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    lines.add(JSON.readTree(line));
                }
            }
        }
        return lines;
    }

    private static long count(TestDatabase.Endpoint database, String sql) throws SQLException {
        try (Connection connection = database.ownerConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
