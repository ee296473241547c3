package dev.tally.projections.warehouse;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.InsertAllRequest;
import com.google.cloud.bigquery.InsertAllResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * BigQuery through legacy streaming inserts ({@code tabledata.insertAll}): each row's insertId is
 * its event id, so BigQuery drops a row sent again within its deduplication window (best effort,
 * about a minute), and the {@code ledger_events_dedup} view covers anything beyond it. Invalid rows
 * are skipped by BigQuery while the valid ones of the same request land ({@code skipInvalidRows});
 * they come back as refused rows with BigQuery's reasons.
 */
public final class BigQueryWarehouse implements WarehouseSink {

    /** The longest reason kept per refused row: the dead-letter table stores it, and a reason is not a log. */
    static final int REASON_LENGTH_MAX = 2_000;

    private final BigQuery bigQuery;
    private final BigQuerySchema schema;
    private final BigQueryConnection connection;
    private volatile boolean schemaEnsured;

    public BigQueryWarehouse(BigQueryConnection connection) {
        this(connection.open(), connection);
    }

    public BigQueryWarehouse(BigQuery bigQuery, BigQueryConnection connection) {
        this.bigQuery = bigQuery;
        this.connection = connection;
        this.schema = new BigQuerySchema(bigQuery, connection);
    }

    @Override
    public String target() {
        return connection.target();
    }

    /**
     * Creates or grows the dataset, tables and views; done once before the first write, so that a
     * server starts even while BigQuery is unreachable and the processor retries later.
     */
    public synchronized void ensureSchema() {
        if (!schemaEnsured) {
            schema.ensure();
            schemaEnsured = true;
        }
    }

    @Override
    public List<RefusedRow> write(WarehouseTable table, List<WarehouseRow> rows) {
        if (rows.size() > ROWS_PER_WRITE_MAX) {
            throw new IllegalArgumentException("at most " + ROWS_PER_WRITE_MAX + " rows per write, got " + rows.size());
        }
        if (rows.isEmpty()) {
            return List.of();
        }
        ensureSchema();
        InsertAllRequest.Builder request = InsertAllRequest.newBuilder(schema.tableId(table))
                .setSkipInvalidRows(true)
                .setIgnoreUnknownValues(false);
        for (WarehouseRow row : rows) {
            request.addRow(InsertAllRequest.RowToInsert.of(row.eventId(), withoutNulls(row.values())));
        }
        InsertAllResponse response = bigQuery.insertAll(request.build());
        List<RefusedRow> refused = new ArrayList<>();
        for (Map.Entry<Long, List<BigQueryError>> error : response.getInsertErrors().entrySet()) {
            WarehouseRow row = rows.get(Math.toIntExact(error.getKey()));
            refused.add(new RefusedRow(table, row.eventId(), row.position(), reasonOf(error.getValue())));
        }
        return refused;
    }

    /** A missing key is NULL to BigQuery; leaving nulls out keeps the request small. */
    private static Map<String, Object> withoutNulls(Map<String, Object> values) {
        Map<String, Object> present = new LinkedHashMap<>();
        values.forEach((column, value) -> {
            if (value != null) {
                present.put(column, value);
            }
        });
        return present;
    }

    private static String reasonOf(List<BigQueryError> errors) {
        StringJoiner reasons = new StringJoiner("; ");
        for (BigQueryError error : errors) {
            reasons.add(error.getReason() + (error.getLocation() == null || error.getLocation().isEmpty()
                    ? "" : " at " + error.getLocation()) + ": " + error.getMessage());
        }
        String reason = reasons.toString();
        return reason.length() <= REASON_LENGTH_MAX ? reason : reason.substring(0, REASON_LENGTH_MAX);
    }
}
