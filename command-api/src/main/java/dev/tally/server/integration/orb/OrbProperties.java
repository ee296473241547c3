package dev.tally.server.integration.orb;

import dev.tally.integrations.orb.OrbClient;
import dev.tally.integrations.orb.OrbClientSettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Orb sync's settings ({@code TALLY_ORB_*}). Without an API key the sync is off. The batch size
 * is both the usage processor's batch and the cap on events per ingest request (Orb publishes no
 * cap; 500 is ours).
 */
@ConfigurationProperties(prefix = "tally.orb")
public record OrbProperties(String apiKey, String baseUrl, Integer batchSize, Duration connectTimeout,
                            Duration readTimeout, Integer retriesMax, Integer ingestEventsPerMinute) {

    public boolean isEnabled() {
        return apiKey != null && !apiKey.isBlank();
    }

    public int batchSizeOrDefault() {
        int size = batchSize == null ? OrbClient.INGEST_EVENTS_PER_REQUEST_MAX : batchSize;
        if (size < 1 || size > OrbClient.INGEST_EVENTS_PER_REQUEST_MAX) {
            throw new IllegalArgumentException("TALLY_ORB_BATCH_SIZE must be within 1.."
                    + OrbClient.INGEST_EVENTS_PER_REQUEST_MAX + ", got " + size);
        }
        return size;
    }

    public OrbClientSettings clientSettings() {
        OrbClientSettings defaults = OrbClientSettings.of(baseUrl == null || baseUrl.isBlank()
                ? OrbClientSettings.DEFAULT_BASE_URL : baseUrl, apiKey);
        return defaults
                .withTimeouts(connectTimeout == null ? defaults.connectTimeout() : connectTimeout,
                        readTimeout == null ? defaults.readTimeout() : readTimeout)
                .withRetries(retriesMax == null ? defaults.retriesMax() : retriesMax, defaults.backoffFirst(),
                        defaults.backoffMax())
                .withIngestEventsPerMinute(ingestEventsPerMinute == null ? defaults.ingestEventsPerMinute()
                        : ingestEventsPerMinute);
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "OrbProperties[apiKey=" + (isEnabled() ? "***" : "") + ", baseUrl=" + baseUrl + ", batchSize="
                + batchSize + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout
                + ", retriesMax=" + retriesMax + "]";
    }
}
