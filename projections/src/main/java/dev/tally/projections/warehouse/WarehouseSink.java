package dev.tally.projections.warehouse;

import java.util.List;

/**
 * Where exported rows go: BigQuery or NDJSON files. A write either returns (every row stored,
 * except those it lists as refused) or throws, and then nothing of the call counts as exported:
 * the caller's transaction rolls back and the rows are sent again later, which the destination's
 * deduplication by event id absorbs.
 */
public interface WarehouseSink {

    /** The most rows one write call sends (BigQuery's recommended streaming batch). */
    int ROWS_PER_WRITE_MAX = 500;

    /**
     * The destination's stable name (e.g. {@code bigquery:project.dataset}), under which the
     * exported-event ledger remembers what this destination already acknowledged.
     */
    String target();

    /** Stores rows of one table, at most {@link #ROWS_PER_WRITE_MAX}; answers the rows it refused. */
    List<RefusedRow> write(WarehouseTable table, List<WarehouseRow> rows);
}
