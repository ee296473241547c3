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
     * About the most bytes of row values one write call sends: BigQuery refuses a streaming request
     * over 10 MB, and a stored batch of usage carries all its usage events in its payload column.
     */
    long BYTES_PER_WRITE_MAX = 8L * 1024 * 1024;

    /**
     * The destination's stable name (e.g. {@code bigquery:project.dataset}), under which the
     * exported-event ledger remembers what this destination already acknowledged.
     */
    String target();

    /** Stores rows of one table, at most {@link #ROWS_PER_WRITE_MAX}; answers the rows it refused. */
    List<RefusedRow> write(WarehouseTable table, List<WarehouseRow> rows);
}
