package dev.tally.server.warehouse;

import dev.tally.projections.warehouse.WarehouseRow;
import dev.tally.projections.warehouse.WarehouseTable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code ledger_events} rows of events at consecutive positions, for the warehouse tests. */
final class LedgerEventRows {

    static final LocalDate DAY = LocalDate.parse("2026-11-25");

    private LedgerEventRows() {
    }

    /** Rows for positions {@code first} to {@code last}, ids {@code event-<position>}, each with {@code payload}. */
    static List<WarehouseRow> rows(int first, int last, String type, String payload) {
        List<WarehouseRow> rows = new ArrayList<>();
        for (int position = first; position <= last; position++) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("event_id", "event-" + position);
            values.put("global_position", (long) position);
            values.put("account", "acme");
            values.put("stream_sequence", (long) position);
            values.put("type", type);
            values.put("occurred_at", "2026-11-25T10:00:00Z");
            values.put("recorded_at", "2026-11-25T10:00:01Z");
            values.put("payload", payload);
            rows.add(new WarehouseRow(WarehouseTable.LEDGER_EVENTS, "event-" + position, position, DAY, values));
        }
        return rows;
    }
}
