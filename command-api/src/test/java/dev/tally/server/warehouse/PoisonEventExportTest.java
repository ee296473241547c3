package dev.tally.server.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.Eventually;
import dev.tally.server.testing.ForgedEvents;
import dev.tally.server.testing.InProcessServer;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.ServerTest;
import dev.tally.server.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

// Goal: events the read models cannot hold (a U+0000 in a text, an instant past PostgreSQL's range) do not hold up
// the warehouse export: they are exported like any other, and so is everything after them.
class PoisonEventExportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void theExportWritesPoisonEventsAndEverythingAfterThem() {
        TestDatabase.Endpoint database = TestDatabase.fresh("warehouse_poison");
        try (InProcessServer server = InProcessServer.start(database, Clock.systemUTC(),
                Map.of("tally.invoice.scheduler-enabled", "false",
                        "tally.audit.checkpoint-enabled", "false",
                        "tally.warehouse.enabled", "true",
                        "tally.db.data-dir", dataDir.toString()))) {
            Api api = server.api();
            LedgerScenario ledger = LedgerScenario.open(api, ServerTest.ADMIN_KEY);
            Api.Response granted = api.post("/v1/accounts/" + ledger.accountId + "/credits", ServerTest.ADMIN_KEY, """
                    {"grantId":"welcome","amount":"5","kind":"promotional","effectiveAt":"2026-01-01T00:00:00Z"}""");
            assertThat(granted.status()).as(granted.raw().body()).isEqualTo(201);
            ForgedEvents.Forged nul = ForgedEvents.appendCopy(database, ledger.accountId, "CreditGranted",
                    Map.of("grantId", "poison-nul", "description", "a NUL \u0000 here"));
            ForgedEvents.Forged instant = ForgedEvents.appendCopy(database, ledger.accountId, "CreditGranted",
                    Map.of("grantId", "poison-instant", "expiresAt", "+999999999-12-31T23:59:59Z"));
            assertThat(ledger.usage(Api.unique("u"), "gpu_seconds", "10", LedgerScenario.recently()).raw().body())
                    .contains("accepted");
            Set<String> stored = eventIds(database);

            Eventually.awaitTrue("every event, the poison ones too, is in the NDJSON files",
                    () -> exportedEventIds().containsAll(stored));
            JsonNode nulRow = exportedRows().stream().filter(row -> row.path("event_id").asText().equals(nul.eventId()))
                    .findFirst().orElseThrow();
            assertThat(nulRow.toString()).contains("\\u0000");
            assertThat(exportedEventIds()).contains(instant.eventId());
        }
    }

    private static Set<String> eventIds(TestDatabase.Endpoint database) {
        Set<String> ids = new HashSet<>();
        try (Connection connection = database.ownerConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT eventIdentifier FROM events.domain_event_entry");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        } catch (SQLException failure) {
            throw new IllegalStateException(failure);
        }
        return ids;
    }

    private Set<String> exportedEventIds() {
        Set<String> ids = new HashSet<>();
        exportedRows().forEach(row -> ids.add(row.path("event_id").asText()));
        return ids;
    }

    private List<JsonNode> exportedRows() {
        Path directory = dataDir.resolve("warehouse").resolve("ledger_events");
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            List<JsonNode> rows = new java.util.ArrayList<>();
            for (Path file : files.filter(path -> path.getFileName().toString().endsWith(".ndjson")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    rows.add(JSON.readTree(line));
                }
            }
            return rows;
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }
}
