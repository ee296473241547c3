package dev.tally.server.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.DatasetInfo;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardSQLTypeName;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableInfo;
import dev.tally.projections.warehouse.BigQueryConnection;
import dev.tally.projections.warehouse.BigQueryWarehouse;
import dev.tally.server.testing.FakeBigQuery;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

// Goal: a dataset created by an older Tally gains the newer columns as nullable ones, through requests that really reach the fake.
class BigQuerySchemaGrowthTest {

    @Test
    void anOlderLedgerEventsTableGainsTheMissingColumnsAsNullable() {
        try (FakeBigQuery fake = FakeBigQuery.start()) {
            BigQueryConnection connection = BigQueryConnection.of("test-project", "older", fake.host());
            BigQuery client = connection.open();
            client.create(DatasetInfo.newBuilder("test-project", "older").build());
            client.create(TableInfo.of(TableId.of("test-project", "older", "ledger_events"),
                    StandardTableDefinition.of(Schema.of(
                            Field.newBuilder("event_id", StandardSQLTypeName.STRING).setMode(Field.Mode.REQUIRED).build(),
                            Field.newBuilder("global_position", StandardSQLTypeName.INT64).setMode(Field.Mode.REQUIRED).build()))));

            new BigQueryWarehouse(client, connection).ensureSchema();

            Map<String, String> modes = new LinkedHashMap<>();
            for (JsonNode field : fake.table("older", "ledger_events").path("schema").path("fields")) {
                modes.put(field.path("name").asText(), field.path("mode").asText());
            }
            assertThat(modes).containsEntry("event_id", "REQUIRED").containsEntry("amount", "NULLABLE")
                    .containsEntry("payload", "NULLABLE").containsKeys("meter", "quantity", "recorded_at");
            assertThat(fake.requests()).contains(
                    "PATCH /bigquery/v2/projects/test-project/datasets/older/tables/ledger_events",
                    "POST /bigquery/v2/projects/test-project/datasets/older/tables");
            assertThat(fake.table("older", "usage_daily").path("timePartitioning").path("field").asText()).isEqualTo("day");
            assertThat(fake.table("older", "usage_daily_totals").path("view").path("useLegacySql").asBoolean(true)).isFalse();
        }
    }
}
