package dev.tally.projections.warehouse;

import com.google.api.gax.retrying.RetrySettings;
import com.google.cloud.NoCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.http.HttpTransportOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach BigQuery: the project and dataset, and optionally another base URL (an emulator
 * or a test's fake). Credentials come from Google's Application Default Credentials
 * ({@code GOOGLE_APPLICATION_CREDENTIALS}, the metadata server, ...), except for a host override
 * without {@code GOOGLE_APPLICATION_CREDENTIALS}, which is a local fake and gets none.
 */
public record BigQueryConnection(String project, String dataset, String host, boolean applicationCredentials) {

    /** Attempts of one request, the first included: 5xx, rate limits and timeouts are retried. */
    static final int REQUEST_ATTEMPTS_MAX = 6;
    static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(250);
    static final double RETRY_DELAY_MULTIPLIER = 2.0;
    static final Duration RETRY_DELAY_MAX = Duration.ofSeconds(8);
    /** All attempts of one request together; past it the batch fails and the processor tries it again later. */
    static final Duration REQUEST_TOTAL_TIMEOUT = Duration.ofMinutes(2);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    public BigQueryConnection {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(dataset, "dataset");
        if (project.isBlank() || dataset.isBlank()) {
            throw new IllegalArgumentException("a BigQuery project and dataset are both required");
        }
    }

    /** From the settings an operator gives: credentials are needed unless a host override points at a fake. */
    public static BigQueryConnection of(String project, String dataset, String host) {
        boolean overridden = host != null && !host.isBlank();
        String credentialsFile = System.getenv("GOOGLE_APPLICATION_CREDENTIALS");
        boolean credentials = !overridden || (credentialsFile != null && !credentialsFile.isBlank());
        return new BigQueryConnection(project, dataset, overridden ? host : null, credentials);
    }

    public String target() {
        return "bigquery:" + project + "." + dataset;
    }

    /**
     * The client, with its own retry of failed requests: exponential backoff with jitter (the
     * client jitters every delay) on 5xx, rate-limit reasons and I/O timeouts. The client retries
     * an insertAll only because every row carries an insertId.
     */
    public BigQuery open() {
        BigQueryOptions.Builder options = BigQueryOptions.newBuilder()
                .setProjectId(project)
                .setRetrySettings(RetrySettings.newBuilder()
                        .setMaxAttempts(REQUEST_ATTEMPTS_MAX)
                        .setInitialRetryDelayDuration(FIRST_RETRY_DELAY)
                        .setRetryDelayMultiplier(RETRY_DELAY_MULTIPLIER)
                        .setMaxRetryDelayDuration(RETRY_DELAY_MAX)
                        .setTotalTimeoutDuration(REQUEST_TOTAL_TIMEOUT)
                        .setInitialRpcTimeoutDuration(READ_TIMEOUT)
                        .setMaxRpcTimeoutDuration(READ_TIMEOUT)
                        .setRpcTimeoutMultiplier(1.0)
                        .build())
                .setTransportOptions(HttpTransportOptions.newBuilder()
                        .setConnectTimeout((int) CONNECT_TIMEOUT.toMillis())
                        .setReadTimeout((int) READ_TIMEOUT.toMillis())
                        .build());
        if (host != null) {
            options.setHost(host);
        }
        if (!applicationCredentials) {
            options.setCredentials(NoCredentials.getInstance());
        }
        return options.build().getService();
    }

    /** Never the credentials: this goes into logs. */
    @Override
    public String toString() {
        return target() + (host == null ? "" : " at " + host);
    }
}
