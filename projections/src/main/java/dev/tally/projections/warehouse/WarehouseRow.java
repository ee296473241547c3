package dev.tally.projections.warehouse;

import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One row for one table, ready for the wire: {@code values} hold only strings, longs and
 * booleans (exact decimals and timestamps as strings, as BigQuery's JSON accepts them), in the
 * table's column order. {@code eventId} is the row's id and insert id everywhere: the event's id, or
 * for one usage event of a stored batch the event's id and the entry's number ({@code <id>#0007}).
 * {@code partitionDay} is the day partition it belongs to.
 */
public record WarehouseRow(WarehouseTable table, String eventId, long position, LocalDate partitionDay,
                           Map<String, Object> values) {

    public WarehouseRow {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(partitionDay, "partitionDay");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        for (WarehouseColumn column : table.columns()) {
            if (column.required() && values.get(column.name()) == null) {
                throw new IllegalArgumentException(table.tableName() + "." + column.name() + " is required");
            }
        }
    }
}
