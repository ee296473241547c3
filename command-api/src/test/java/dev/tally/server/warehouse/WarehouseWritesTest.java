package dev.tally.server.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.projections.warehouse.WarehouseExport;
import dev.tally.projections.warehouse.WarehouseRow;
import dev.tally.projections.warehouse.WarehouseSink;
import dev.tally.projections.warehouse.WarehouseTable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

// Goal: a write to the warehouse stays under BigQuery's request size even when rows carry whole usage batches.
class WarehouseWritesTest {

    @Test
    void rowsAreCutByCountAndBySizeInOrder() {
        List<WarehouseRow> small = rows(1_200, 100);
        List<List<WarehouseRow>> byCount = WarehouseExport.writes(small);
        assertThat(byCount).extracting(List::size).containsExactly(500, 500, 200);

        // 3 MB payloads: at most two fit under the 8 MB a write may carry.
        List<WarehouseRow> large = rows(5, 3 * 1024 * 1024);
        List<List<WarehouseRow>> bySize = WarehouseExport.writes(large);
        assertThat(bySize).extracting(List::size).containsExactly(2, 2, 1);
        assertThat(bySize.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(large);

        // A row larger than a write's allowance still goes, alone.
        List<WarehouseRow> huge = rows(2, (int) WarehouseSink.BYTES_PER_WRITE_MAX + 1);
        assertThat(WarehouseExport.writes(huge)).extracting(List::size).containsExactly(1, 1);
    }

    private static List<WarehouseRow> rows(int count, int payloadLength) {
        String payload = "x".repeat(payloadLength);
        List<WarehouseRow> rows = new ArrayList<>();
        for (int position = 1; position <= count; position++) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("event_id", "event-" + position);
            values.put("global_position", (long) position);
            values.put("account", "acme");
            values.put("stream_sequence", (long) position);
            values.put("type", "UsageBatchRecorded");
            values.put("occurred_at", "2026-11-25T10:00:00Z");
            values.put("recorded_at", "2026-11-25T10:00:01Z");
            values.put("payload", payload);
            rows.add(new WarehouseRow(WarehouseTable.LEDGER_EVENTS, "event-" + position, position,
                    LocalDate.parse("2026-11-25"), values));
        }
        return rows;
    }
}
