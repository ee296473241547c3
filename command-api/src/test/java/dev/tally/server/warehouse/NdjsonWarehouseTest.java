package dev.tally.server.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ledger.api.credit.Funding;
import dev.tally.ledger.api.money.Money;
import dev.tally.ledger.api.usage.UsageBatchRecorded;
import dev.tally.ledger.api.usage.UsageRecorded;
import dev.tally.projections.warehouse.ExportedEvent;
import dev.tally.projections.warehouse.NdjsonWarehouse;
import dev.tally.projections.warehouse.WarehouseRow;
import dev.tally.projections.warehouse.WarehouseRows;
import dev.tally.projections.warehouse.WarehouseTable;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

// Goal: the NDJSON warehouse keeps one line per event, in position order, whoever writes the file and
// however often, including while this process keeps the files it wrote last parsed in memory.
class NdjsonWarehouseTest {

    @TempDir
    Path directory;

    @Test
    void keepsOneLinePerEventAcrossBatchesRepeatsAndAnotherWriter() throws IOException {
        NdjsonWarehouse server = new NdjsonWarehouse(directory);
        NdjsonWarehouse backfill = new NdjsonWarehouse(directory);

        server.write(WarehouseTable.LEDGER_EVENTS, rows(1, 3));
        server.write(WarehouseTable.LEDGER_EVENTS, rows(4, 6));
        backfill.write(WarehouseTable.LEDGER_EVENTS, rows(7, 8));
        server.write(WarehouseTable.LEDGER_EVENTS, rows(2, 6));
        server.write(WarehouseTable.LEDGER_EVENTS, rows(9, 10));

        Path file = server.fileOf(rows(1, 1).get(0));
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(10);
        for (int position = 1; position <= 10; position++) {
            assertThat(lines.get(position - 1)).contains("\"event_id\":\"event-" + position + "\"");
        }
    }

    @Test
    void seesRowsAnotherWriterAddedEvenAfterItWroteTheFileItself() throws IOException {
        NdjsonWarehouse server = new NdjsonWarehouse(directory);
        server.write(WarehouseTable.LEDGER_EVENTS, rows(1, 2));
        new NdjsonWarehouse(directory).write(WarehouseTable.LEDGER_EVENTS, rows(3, 3));

        server.write(WarehouseTable.LEDGER_EVENTS, rows(4, 4));

        assertThat(Files.readAllLines(server.fileOf(rows(1, 1).get(0)), StandardCharsets.UTF_8)).hasSize(4);
    }

    @Test
    void anEventFillingAGapTakesItsPlaceInPositionOrder() throws IOException {
        NdjsonWarehouse server = new NdjsonWarehouse(directory);
        server.write(WarehouseTable.LEDGER_EVENTS, rows(1, 2));
        server.write(WarehouseTable.LEDGER_EVENTS, rows(5, 6));
        server.write(WarehouseTable.LEDGER_EVENTS, rows(3, 4));
        server.write(WarehouseTable.LEDGER_EVENTS, rows(7, 7));

        List<String> lines = Files.readAllLines(server.fileOf(rows(1, 1).get(0)), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(7);
        for (int position = 1; position <= 7; position++) {
            assertThat(lines.get(position - 1)).contains("\"event_id\":\"event-" + position + "\"");
        }
    }

    @Test
    void keepsOneUsageLinePerEntryOfAStoredBatchInBatchOrder() throws IOException {
        WarehouseRows mapping = new WarehouseRows();
        List<WarehouseRow> first = usageRows(mapping, 1, "a", 12);
        List<WarehouseRow> second = usageRows(mapping, 2, "b", 3);
        NdjsonWarehouse server = new NdjsonWarehouse(directory);
        server.write(WarehouseTable.USAGE_DAILY, first);
        server.write(WarehouseTable.USAGE_DAILY, second);
        server.write(WarehouseTable.USAGE_DAILY, first);
        new NdjsonWarehouse(directory).write(WarehouseTable.USAGE_DAILY, usageRows(mapping, 3, "c", 2));

        List<String> lines = Files.readAllLines(server.fileOf(first.get(0)), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(17);
        assertThat(lines.get(0)).startsWith("{\"event_id\":\"event-1#0000\",\"global_position\":1,")
                .contains("\"quantity\":\"1\"");
        assertThat(lines.get(11)).startsWith("{\"event_id\":\"event-1#0011\"").contains("\"quantity\":\"12\"");
        assertThat(lines.get(12)).startsWith("{\"event_id\":\"event-2#0000\",\"global_position\":2,");
        assertThat(lines.get(16)).startsWith("{\"event_id\":\"event-3#0001\",\"global_position\":3,");
    }

    /** The usage_daily rows of a stored batch of {@code entries} usage events, quantities 1, 2, 3 and on. */
    private static List<WarehouseRow> usageRows(WarehouseRows mapping, long position, String keyPrefix, int entries) {
        Instant at = Instant.parse("2026-11-25T10:00:00Z");
        List<UsageRecorded> usages = new ArrayList<>();
        for (int entry = 1; entry <= entries; entry++) {
            usages.add(new UsageRecorded("acme", keyPrefix + entry, "api_calls", BigDecimal.valueOf(entry), at, Map.of(),
                    Instant.parse("2026-11-01T00:00:00Z"), "plan", 1, BigDecimal.valueOf(entry), Money.of("USD", "0.5"),
                    new Funding(List.of(), List.of(), Money.of("USD", "0.5")), false, at));
        }
        ExportedEvent event = new ExportedEvent("event-" + position, position, "acme", position, at,
                new UsageBatchRecorded("acme", usages));
        return mapping.rowsOf(event).stream().filter(row -> row.table() == WarehouseTable.USAGE_DAILY).toList();
    }

    /** A crash in the middle of an append leaves a torn last line; its event was not acknowledged and comes again. */
    @Test
    void aLineTornByACrashIsCutOffByTheNextWrite() throws IOException {
        new NdjsonWarehouse(directory).write(WarehouseTable.LEDGER_EVENTS, rows(1, 3));
        Path file = new NdjsonWarehouse(directory).fileOf(rows(1, 1).get(0));
        Files.writeString(file, "{\"event_id\":\"event-4\",\"global_pos", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);

        NdjsonWarehouse restarted = new NdjsonWarehouse(directory);
        restarted.write(WarehouseTable.LEDGER_EVENTS, rows(4, 5));

        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n");
        List<String> lines = text.lines().toList();
        assertThat(lines).hasSize(5);
        for (int position = 1; position <= 5; position++) {
            assertThat(lines.get(position - 1)).startsWith("{\"event_id\":\"event-" + position + "\",\"global_position\":" + position + ",");
        }
    }

    private static List<WarehouseRow> rows(int firstPosition, int lastPosition) {
        return LedgerEventRows.rows(firstPosition, lastPosition, "UsageRecorded", "{}");
    }
}
