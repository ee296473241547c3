package dev.tally.projections.warehouse;

/**
 * One column of a warehouse table, in BigQuery's standard SQL types. Only {@code required}
 * columns may be non-nullable, and a column added later is always nullable (BigQuery allows
 * adding nullable columns to a table, nothing else without a rewrite).
 */
public record WarehouseColumn(String name, String type, boolean required) {

    public static WarehouseColumn required(String name, String type) {
        return new WarehouseColumn(name, type, true);
    }

    public static WarehouseColumn nullable(String name, String type) {
        return new WarehouseColumn(name, type, false);
    }
}
