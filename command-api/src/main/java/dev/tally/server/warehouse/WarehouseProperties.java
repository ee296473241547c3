package dev.tally.server.warehouse;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the ledger's events are exported: BigQuery when a project and dataset are set, else NDJSON
 * files under the data directory; {@code host} points the BigQuery client at another base URL (an
 * emulator or a fake). Disabled, no export processor runs at all.
 */
@ConfigurationProperties(prefix = "tally.warehouse")
public record WarehouseProperties(Boolean enabled, String bigqueryProject, String bigqueryDataset,
                                  String bigqueryHost) {

    public boolean isEnabled() {
        return enabled == null || enabled;
    }

    public boolean usesBigQuery() {
        boolean project = bigqueryProject != null && !bigqueryProject.isBlank();
        boolean dataset = bigqueryDataset != null && !bigqueryDataset.isBlank();
        if (project != dataset) {
            throw new IllegalArgumentException(
                    "TALLY_WAREHOUSE_BIGQUERY_PROJECT and TALLY_WAREHOUSE_BIGQUERY_DATASET must be set together");
        }
        return project;
    }
}
