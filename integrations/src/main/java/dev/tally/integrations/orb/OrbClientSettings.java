package dev.tally.integrations.orb;

import java.time.Duration;
import java.util.Objects;

/**
 * How the client reaches Orb and how patiently it retries. {@code retriesMax} bounds the retries of
 * one request; after that the caller sees {@link OrbUnavailable} and the event processor tries the
 * whole batch again later. {@code retryAfterMax} caps a server's {@code Retry-After}, so that one
 * answer cannot park a processor thread for minutes.
 */
public record OrbClientSettings(String baseUrl, String apiKey, Duration connectTimeout, Duration readTimeout,
                                int retriesMax, Duration backoffFirst, Duration backoffMax, Duration retryAfterMax,
                                int ingestEventsPerMinute) {

    public static final String DEFAULT_BASE_URL = "https://api.withorb.com/v1";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_RETRIES_MAX = 4;
    /** Orb's own SDK backs off 0.5 s·2^n, capped at 8 s; we follow it. */
    public static final Duration DEFAULT_BACKOFF_FIRST = Duration.ofMillis(500);
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(8);
    public static final Duration DEFAULT_RETRY_AFTER_MAX = Duration.ofSeconds(30);
    /** Orb's default ingest volume limit for live accounts (PROTOCOLS A); an account may have it raised. */
    public static final int DEFAULT_INGEST_EVENTS_PER_MINUTE = 10_000;

    public OrbClientSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("an Orb API key is required");
        }
        if (retriesMax < 0 || retriesMax > 10) {
            throw new IllegalArgumentException("retriesMax must be within 0..10, got " + retriesMax);
        }
        if (ingestEventsPerMinute < 1) {
            throw new IllegalArgumentException("ingestEventsPerMinute must be at least 1, got " + ingestEventsPerMinute);
        }
        baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    public static OrbClientSettings of(String baseUrl, String apiKey) {
        return new OrbClientSettings(baseUrl, apiKey, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT,
                DEFAULT_RETRIES_MAX, DEFAULT_BACKOFF_FIRST, DEFAULT_BACKOFF_MAX, DEFAULT_RETRY_AFTER_MAX,
                DEFAULT_INGEST_EVENTS_PER_MINUTE);
    }

    public OrbClientSettings withTimeouts(Duration connect, Duration read) {
        return new OrbClientSettings(baseUrl, apiKey, connect, read, retriesMax, backoffFirst, backoffMax,
                retryAfterMax, ingestEventsPerMinute);
    }

    public OrbClientSettings withRetries(int retries, Duration first, Duration max) {
        return new OrbClientSettings(baseUrl, apiKey, connectTimeout, readTimeout, retries, first, max,
                retryAfterMax, ingestEventsPerMinute);
    }

    /** Paces ingestion to this many events a minute, the Orb account's volume limit. */
    public OrbClientSettings withIngestEventsPerMinute(int eventsPerMinute) {
        return new OrbClientSettings(baseUrl, apiKey, connectTimeout, readTimeout, retriesMax, backoffFirst, backoffMax,
                retryAfterMax, eventsPerMinute);
    }

    /** Never prints the key: settings end up in logs. */
    @Override
    public String toString() {
        return "OrbClientSettings[baseUrl=" + baseUrl + ", apiKey=***, connectTimeout=" + connectTimeout
                + ", readTimeout=" + readTimeout + ", retriesMax=" + retriesMax + ", ingestEventsPerMinute="
                + ingestEventsPerMinute + "]";
    }
}
