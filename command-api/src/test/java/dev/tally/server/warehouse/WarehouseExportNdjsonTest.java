package dev.tally.server.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.projections.warehouse.WarehouseExporter;
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
            assertThat(warehouse.resolve("ledger_events/dt=" + LedgerScenario.recently().toString().substring(0, 10)))
                    .isDirectory();
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

    private void awaitLines(String table, long expected) throws Exception {
        Instant deadline = Instant.now().plus(EXPORT_WAIT_MAX);
        while (lines(table).size() < expected) {
            assertThat(Instant.now()).as("%d lines of %s in time", expected, table).isBefore(deadline);
            Thread.sleep(100);
        }
    }

    private static void awaitExportedCount(TestDatabase.Endpoint database, long expected) throws Exception {
        Instant deadline = Instant.now().plus(EXPORT_WAIT_MAX);
        while (count(database, "SELECT count(*) FROM warehouse.exported_event") < expected) {
            assertThat(Instant.now()).as("%d events marked exported in time", expected).isBefore(deadline);
            Thread.sleep(100);
        }
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
