package dev.tally.projections.warehouse;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.Clustering;
import com.google.cloud.bigquery.Dataset;
import com.google.cloud.bigquery.DatasetId;
import com.google.cloud.bigquery.DatasetInfo;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldList;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardSQLTypeName;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableInfo;
import com.google.cloud.bigquery.TimePartitioning;
import com.google.cloud.bigquery.ViewDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Creates the dataset, tables and views when absent, and adds the columns a newer Tally defines
 * to tables an older one created (as nullable columns, the one change BigQuery allows in place).
 * Columns are never dropped or retyped here: that needs a deliberate migration.
 */
final class BigQuerySchema {

    /** Query-side deduplication: one row per event id, whatever was streamed twice. */
    static final String LEDGER_EVENTS_DEDUP = "ledger_events_dedup";
    /** The daily usage figures: usage_daily's rows per event, each event id counted once. */
    static final String USAGE_DAILY_TOTALS = "usage_daily_totals";

    private final BigQuery bigQuery;
    private final BigQueryConnection connection;

    BigQuerySchema(BigQuery bigQuery, BigQueryConnection connection) {
        this.bigQuery = bigQuery;
        this.connection = connection;
    }

    void ensure() {
        DatasetId datasetId = DatasetId.of(connection.project(), connection.dataset());
        Dataset dataset = bigQuery.getDataset(datasetId);
        if (dataset == null) {
            bigQuery.create(DatasetInfo.newBuilder(datasetId).build());
        }
        for (WarehouseTable table : WarehouseTable.values()) {
            ensureTable(table);
        }
        ensureView(LEDGER_EVENTS_DEDUP, """
                SELECT * EXCEPT (duplicate_rank) FROM (
                  SELECT *, ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY global_position) AS duplicate_rank
                  FROM `%s`)
                WHERE duplicate_rank = 1""".formatted(qualified(WarehouseTable.LEDGER_EVENTS.tableName())));
        ensureView(USAGE_DAILY_TOTALS, """
                SELECT account, meter, day, currency, SUM(quantity) AS quantity, SUM(accrued) AS accrued,
                       COUNT(*) AS events
                FROM (
                  SELECT * EXCEPT (duplicate_rank) FROM (
                    SELECT *, ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY global_position) AS duplicate_rank
                    FROM `%s`)
                  WHERE duplicate_rank = 1)
                GROUP BY account, meter, day, currency""".formatted(qualified(WarehouseTable.USAGE_DAILY.tableName())));
    }

    TableId tableId(WarehouseTable table) {
        return TableId.of(connection.project(), connection.dataset(), table.tableName());
    }

    private void ensureTable(WarehouseTable table) {
        TableId id = tableId(table);
        Table existing = bigQuery.getTable(id);
        if (existing == null) {
            StandardTableDefinition definition = StandardTableDefinition.newBuilder()
                    .setSchema(schemaOf(table))
                    .setTimePartitioning(TimePartitioning.newBuilder(TimePartitioning.Type.DAY)
                            .setField(table.partitionColumn()).build())
                    .setClustering(Clustering.newBuilder().setFields(table.clusteringColumns()).build())
                    .build();
            bigQuery.create(TableInfo.of(id, definition));
            return;
        }
        StandardTableDefinition definition = existing.getDefinition();
        Schema current = definition.getSchema();
        List<Field> fields = new ArrayList<>(current == null ? List.of() : current.getFields());
        Set<String> present = new HashSet<>();
        fields.forEach(field -> present.add(field.getName()));
        boolean grown = false;
        for (WarehouseColumn column : table.columns()) {
            if (!present.contains(column.name())) {
                fields.add(field(column, false));
                grown = true;
            }
        }
        if (grown) {
            bigQuery.update(existing.toBuilder()
                    .setDefinition(definition.toBuilder().setSchema(Schema.of(FieldList.of(fields))).build())
                    .build());
        }
    }

    private void ensureView(String name, String query) {
        TableId id = TableId.of(connection.project(), connection.dataset(), name);
        if (bigQuery.getTable(id) == null) {
            bigQuery.create(TableInfo.of(id, ViewDefinition.newBuilder(query).setUseLegacySql(false).build()));
        }
    }

    private String qualified(String table) {
        return connection.project() + "." + connection.dataset() + "." + table;
    }

    private static Schema schemaOf(WarehouseTable table) {
        List<Field> fields = new ArrayList<>();
        table.columns().forEach(column -> fields.add(field(column, column.required())));
        return Schema.of(fields);
    }

    private static Field field(WarehouseColumn column, boolean required) {
        return Field.newBuilder(column.name(), StandardSQLTypeName.valueOf(column.type()))
                .setMode(required ? Field.Mode.REQUIRED : Field.Mode.NULLABLE)
                .build();
    }
}
