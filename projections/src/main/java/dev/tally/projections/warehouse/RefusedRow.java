package dev.tally.projections.warehouse;

/** A row the warehouse would not take, with the reason it gave; it is kept as a dead letter, never retried blindly. */
public record RefusedRow(WarehouseTable table, String eventId, long position, String reason) {
}
