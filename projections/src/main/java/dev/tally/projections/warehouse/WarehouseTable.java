package dev.tally.projections.warehouse;

import java.util.List;

/**
 * The tables the export writes, with their columns, the DATE or TIMESTAMP column each is
 * partitioned on by day, and the columns it is clustered by. New columns go at the end and are
 * nullable, so that the schema migration can add them to an existing table.
 */
public enum WarehouseTable {

    /** Every ledger event, one row per event; partitioned on the day the ledger recorded it. */
    LEDGER_EVENTS("ledger_events", List.of(
            WarehouseColumn.required("event_id", "STRING"),
            WarehouseColumn.required("global_position", "INT64"),
            WarehouseColumn.required("account", "STRING"),
            WarehouseColumn.required("stream_sequence", "INT64"),
            WarehouseColumn.required("type", "STRING"),
            WarehouseColumn.required("occurred_at", "TIMESTAMP"),
            WarehouseColumn.required("recorded_at", "TIMESTAMP"),
            WarehouseColumn.nullable("amount", "BIGNUMERIC"),
            WarehouseColumn.nullable("currency", "STRING"),
            WarehouseColumn.nullable("meter", "STRING"),
            WarehouseColumn.nullable("quantity", "BIGNUMERIC"),
            WarehouseColumn.required("payload", "JSON")),
            "recorded_at", List.of("account")),

    /**
     * One row per usage event (not per day): a row keyed by its event can be written twice without
     * counting twice, since the {@code usage_daily_totals} view sums each event id once. Partitioned
     * on the usage's own UTC day.
     */
    USAGE_DAILY("usage_daily", List.of(
            WarehouseColumn.required("event_id", "STRING"),
            WarehouseColumn.required("global_position", "INT64"),
            WarehouseColumn.required("account", "STRING"),
            WarehouseColumn.required("meter", "STRING"),
            WarehouseColumn.required("day", "DATE"),
            WarehouseColumn.required("quantity", "BIGNUMERIC"),
            WarehouseColumn.required("accrued", "BIGNUMERIC"),
            WarehouseColumn.required("currency", "STRING")),
            "day", List.of("account", "meter"));

    private final String tableName;
    private final List<WarehouseColumn> columns;
    private final String partitionColumn;
    private final List<String> clusteringColumns;

    WarehouseTable(String tableName, List<WarehouseColumn> columns, String partitionColumn,
                   List<String> clusteringColumns) {
        this.tableName = tableName;
        this.columns = List.copyOf(columns);
        this.partitionColumn = partitionColumn;
        this.clusteringColumns = List.copyOf(clusteringColumns);
    }

    public String tableName() {
        return tableName;
    }

    public List<WarehouseColumn> columns() {
        return columns;
    }

    public String partitionColumn() {
        return partitionColumn;
    }

    public List<String> clusteringColumns() {
        return clusteringColumns;
    }
}
