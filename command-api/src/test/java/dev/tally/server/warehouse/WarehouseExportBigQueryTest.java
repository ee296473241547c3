package dev.tally.server.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.projections.warehouse.WarehouseExporter;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.Eventually;
import dev.tally.server.testing.FakeBigQuery;
import dev.tally.server.testing.InProcessServer;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.ServerTest;
import dev.tally.server.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

// Goal: every ledger event reaches BigQuery exactly once in effect, through refusals, 5xx answers and a full replay.
class WarehouseExportBigQueryTest {

    private static final String KEY = ServerTest.ADMIN_KEY;
    private static final String PROJECT = "test-project";
    private static final String DATASET = "tally_ledger";
    private static final Duration EXPORT_WAIT_MAX = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static FakeBigQuery bigQuery;
    private static TestDatabase.Endpoint database;
    private static InProcessServer server;

    @BeforeAll
    static void serverExportingToTheFake() {
        bigQuery = FakeBigQuery.start();
        database = TestDatabase.fresh("warehouse_bigquery");
        server = InProcessServer.start(database, Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000)), Map.of(
                "tally.invoice.scheduler-enabled", "false",
                "tally.audit.checkpoint-enabled", "false",
                "tally.warehouse.enabled", "true",
                "tally.warehouse.bigquery-project", PROJECT,
                "tally.warehouse.bigquery-dataset", DATASET,
                "tally.warehouse.bigquery-host", bigQuery.host()));
    }

    @AfterAll
    static void stop() {
        server.close();
        bigQuery.close();
    }

    @Test
    void everyEventLandsOnceWithItsColumnsAndItsEventIdAsInsertId() throws Exception {
        LedgerScenario ledger = LedgerScenario.open(server.api(), KEY);
        Instant used = LedgerScenario.recently();
        assertThat(ledger.usage("u1", "gpu_seconds", "1500", used).status()).isEqualTo(200);
        assertThat(ledger.usage("u2", "images", "120", used.minus(Duration.ofDays(1))).status()).isEqualTo(200);
        Api.Response charge = server.api().post("/v1/accounts/" + ledger.accountId + "/charges", KEY,
                "{\"chargeId\":\"setup\",\"amount\":\"12.50\",\"description\":\"Setup\"}");
        assertThat(charge.status()).isEqualTo(201);

        Map<String, String> events = eventTypesOf(ledger.accountId);
        awaitExported(ledger.accountId, events.size());

        List<FakeBigQuery.StoredRow> rows = rowsOf("ledger_events", ledger.accountId);
        assertThat(rows).extracting(FakeBigQuery.StoredRow::insertId).containsExactlyInAnyOrderElementsOf(events.keySet());
        for (FakeBigQuery.StoredRow row : rows) {
            assertThat(FakeBigQuery.text(row.json(), "event_id")).isEqualTo(row.insertId());
            assertThat(FakeBigQuery.text(row.json(), "type")).isEqualTo(events.get(row.insertId()));
            assertThat(JSON.readTree(FakeBigQuery.text(row.json(), "payload")).path("accountId").asText())
                    .isEqualTo(ledger.accountId);
        }
        JsonNode gpu = usageRow(rows, "gpu_seconds");
        assertThat(FakeBigQuery.text(gpu, "quantity")).isEqualTo("1500");
        assertThat(FakeBigQuery.text(gpu, "amount")).isEqualTo("3.000");
        assertThat(FakeBigQuery.text(gpu, "currency")).isEqualTo("USD");
        assertThat(Instant.parse(FakeBigQuery.text(gpu, "occurred_at"))).isEqualTo(used);
        assertThat(gpu.get("amount").isTextual()).as("amounts are exact decimal strings").isTrue();
        JsonNode chargeRow = rows.stream().map(FakeBigQuery.StoredRow::json)
                .filter(row -> "ChargeRecorded".equals(FakeBigQuery.text(row, "type"))).findFirst().orElseThrow();
        assertThat(FakeBigQuery.text(chargeRow, "amount")).isEqualTo("12.50");

        awaitRows("usage_daily", ledger.accountId, 2);
        List<FakeBigQuery.StoredRow> usage = rowsOf("usage_daily", ledger.accountId);
        assertThat(usage).hasSize(2);
        assertThat(usage).extracting(row -> FakeBigQuery.text(row.json(), "day"))
                .containsExactlyInAnyOrder(used.toString().substring(0, 10),
                        used.minus(Duration.ofDays(1)).toString().substring(0, 10));

        JsonNode table = bigQuery.table(DATASET, "ledger_events");
        assertThat(table.path("timePartitioning").path("type").asText()).isEqualTo("DAY");
        assertThat(table.path("timePartitioning").path("field").asText()).isEqualTo("recorded_at");
        assertThat(table.path("clustering").path("fields").get(0).asText()).isEqualTo("account");
        assertThat(bigQuery.table(DATASET, "ledger_events_dedup").path("view").path("query").asText())
                .contains("PARTITION BY event_id");
        assertThat(bigQuery.table(DATASET, "usage_daily_totals")).isNotNull();
    }

    @Test
    void refusedRowsBecomeDeadLettersWithTheirReasonWhileTheRestLands() throws Exception {
        LedgerScenario ledger = LedgerScenario.open(server.api(), KEY);
        bigQuery.refuseRows(row -> ledger.accountId.equals(FakeBigQuery.text(row, "account"))
                && "images".equals(FakeBigQuery.text(row, "meter")), "Invalid BIGNUMERIC value: refused by the test");
        try {
            Instant used = LedgerScenario.recently();
            Api.Response bad = ledger.usage("bad", "images", "3", used);
            assertThat(bad.raw().body()).contains("accepted");
            assertThat(ledger.usage("good", "gpu_seconds", "10", used).raw().body()).contains("accepted");
            Map<String, String> events = eventTypesOf(ledger.accountId);
            String refusedEvent = eventIdOfUsage(ledger.accountId, "bad");

            awaitExported(ledger.accountId, events.size() - 1);
            // Dead letters are recorded after every write of the batch, in the transaction that commits its token.
            Eventually.awaitTrue("both refused rows recorded", EXPORT_WAIT_MAX,
                    () -> query("SELECT event_id FROM warehouse.refused_row WHERE event_id = ?", refusedEvent).size() >= 2);

            assertThat(rowsOf("ledger_events", ledger.accountId)).extracting(FakeBigQuery.StoredRow::insertId)
                    .doesNotContain(refusedEvent).hasSize(events.size() - 1);
            awaitRows("usage_daily", ledger.accountId, 1);
            assertThat(rowsOf("usage_daily", ledger.accountId)).hasSize(1);
            assertThat(query("SELECT table_name || ' ' || reason FROM warehouse.refused_row WHERE event_id = ?",
                    refusedEvent)).containsExactlyInAnyOrder(
                    "ledger_events invalid: Invalid BIGNUMERIC value: refused by the test",
                    "usage_daily invalid: Invalid BIGNUMERIC value: refused by the test");
        } finally {
            bigQuery.refuseRows(row -> false, "");
        }
    }

    @Test
    void unavailableAnswersAreRetriedUntilTheRowsLand() throws Exception {
        LedgerScenario ledger = LedgerScenario.open(server.api(), KEY);
        awaitExported(ledger.accountId, eventTypesOf(ledger.accountId).size());
        long requestsBefore = bigQuery.insertAllRequests();
        bigQuery.failNextInsertAll(3, 503);

        assertThat(ledger.usage("u1", "gpu_seconds", "5", LedgerScenario.recently()).status()).isEqualTo(200);
        awaitExported(ledger.accountId, eventTypesOf(ledger.accountId).size());

        bigQuery.assertAllFaultsHit();
        assertThat(bigQuery.insertAllRequests() - requestsBefore).as("3 refused attempts, then the writes").isGreaterThan(3);
        assertNoDuplicates("ledger_events");
        assertNoDuplicates("usage_daily");
    }

    @Test
    void aFullReplayOfTheProcessorSendsNothingAgain() throws Exception {
        LedgerScenario ledger = LedgerScenario.open(server.api(), KEY);
        assertThat(ledger.usage("u1", "gpu_seconds", "7", LedgerScenario.recently()).status()).isEqualTo(200);
        awaitExported(ledger.accountId, eventTypesOf(ledger.accountId).size());

        StreamingEventProcessor processor = server.bean(EventProcessingConfiguration.class)
                .eventProcessor(WarehouseExporter.PROCESSING_GROUP, StreamingEventProcessor.class).orElseThrow();
        processor.shutDown();
        processor.resetTokens();
        processor.start();
        // The processor now reads the whole ledger again; one event after the replay shows it got through it all.
        LedgerScenario marker = LedgerScenario.open(server.api(), KEY);
        awaitExported(marker.accountId, eventTypesOf(marker.accountId).size());

        long refused = Long.parseLong(query("SELECT count(*) FROM warehouse.refused_row WHERE table_name = 'ledger_events'").get(0));
        long events = Long.parseLong(query("SELECT count(*) FROM events.domain_event_entry").get(0));
        assertThat(bigQuery.rows(DATASET, "ledger_events").size() + refused)
                .as("one row per event, or its dead letter").isEqualTo(events);
        assertNoDuplicates("ledger_events");
        assertNoDuplicates("usage_daily");
    }

    private static void assertNoDuplicates(String table) {
        List<String> insertIds = bigQuery.rows(DATASET, table).stream().map(FakeBigQuery.StoredRow::insertId).toList();
        assertThat(Set.copyOf(insertIds)).as("distinct insert ids of %s", table).hasSameSizeAs(insertIds);
    }

    private static JsonNode usageRow(List<FakeBigQuery.StoredRow> rows, String meter) {
        return rows.stream().map(FakeBigQuery.StoredRow::json)
                .filter(row -> meter.equals(FakeBigQuery.text(row, "meter"))).findFirst().orElseThrow();
    }

    private static List<FakeBigQuery.StoredRow> rowsOf(String table, String accountId) {
        return bigQuery.rows(DATASET, table).stream()
                .filter(row -> accountId.equals(FakeBigQuery.text(row.json(), "account"))).toList();
    }

    private static void awaitExported(String accountId, int rows) {
        awaitRows("ledger_events", accountId, rows);
    }

    /** A batch writes ledger_events first, then usage_daily: each table is awaited on its own. */
    private static void awaitRows(String table, String accountId, int rows) {
        Eventually.awaitTrue(rows + " rows of " + accountId + " in " + table, EXPORT_WAIT_MAX,
                () -> rowsOf(table, accountId).size() >= rows);
    }

    /** The account's events by id, with their type's simple name, straight from the event table. */
    static Map<String, String> eventTypesOf(String accountId) throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        try (Connection connection = database.ownerConnection(); PreparedStatement statement = connection.prepareStatement(
                "SELECT eventIdentifier, payloadType FROM events.domain_event_entry WHERE aggregateIdentifier = ? ORDER BY globalIndex")) {
            statement.setString(1, accountId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String type = rows.getString(2);
                    types.put(rows.getString(1), type.substring(type.lastIndexOf('.') + 1));
                }
            }
        }
        return types;
    }

    private static String eventIdOfUsage(String accountId, String idempotencyKey) throws SQLException {
        List<String> ids = query("""
                SELECT eventIdentifier FROM events.domain_event_entry
                WHERE aggregateIdentifier = ? AND payload ->> 'idempotencyKey' = ?""", accountId, idempotencyKey);
        assertThat(ids).hasSize(1);
        return ids.get(0);
    }

    private static List<String> query(String sql, String... parameters) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = database.ownerConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
        }
        return values;
    }

}
