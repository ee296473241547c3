package dev.tally.replay.warehouse;

import dev.tally.projections.warehouse.BigQueryConnection;
import dev.tally.projections.warehouse.BigQueryWarehouse;
import dev.tally.projections.warehouse.NdjsonWarehouse;
import dev.tally.projections.warehouse.WarehouseSink;
import dev.tally.replay.ToolFailure;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where to export: the server's settings (the same environment variables) unless flags say
 * otherwise. BigQuery when a project and dataset are given, else NDJSON files under the data
 * directory's {@code warehouse} folder, exactly where the server writes them.
 */
public final class WarehouseDestinationOptions {

    @Option(names = "--bigquery-project", paramLabel = "PROJECT", defaultValue = "${env:TALLY_WAREHOUSE_BIGQUERY_PROJECT:-}",
            description = "BigQuery project (env TALLY_WAREHOUSE_BIGQUERY_PROJECT; none: NDJSON files).")
    String project;

    @Option(names = "--bigquery-dataset", paramLabel = "DATASET", defaultValue = "${env:TALLY_WAREHOUSE_BIGQUERY_DATASET:-}",
            description = "BigQuery dataset (env TALLY_WAREHOUSE_BIGQUERY_DATASET).")
    String dataset;

    @Option(names = "--bigquery-host", paramLabel = "URL", defaultValue = "${env:TALLY_WAREHOUSE_BIGQUERY_HOST:-}",
            description = "Another BigQuery base URL, e.g. an emulator (env TALLY_WAREHOUSE_BIGQUERY_HOST).")
    String host;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:TALLY_DATA_DIR:-.tally}",
            description = "NDJSON files go under DIR/warehouse (env TALLY_DATA_DIR; default ${DEFAULT-VALUE}).")
    Path dataDir;

    WarehouseSink sink() {
        boolean hasProject = project != null && !project.isBlank();
        boolean hasDataset = dataset != null && !dataset.isBlank();
        if (hasProject != hasDataset) {
            throw new ToolFailure("--bigquery-project and --bigquery-dataset go together");
        }
        if (hasProject) {
            return new BigQueryWarehouse(BigQueryConnection.of(project, dataset, host));
        }
        return new NdjsonWarehouse(dataDir.resolve("warehouse"));
    }
}
