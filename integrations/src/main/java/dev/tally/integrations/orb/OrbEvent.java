package dev.tally.integrations.orb;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/** One event for {@code POST /v1/ingest}: flat properties only (numbers, booleans, strings). */
public record OrbEvent(String idempotencyKey, String externalCustomerId, String eventName, Instant timestamp,
                       Map<String, Object> properties) {

    public OrbEvent {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(externalCustomerId, "externalCustomerId");
        Objects.requireNonNull(eventName, "eventName");
        Objects.requireNonNull(timestamp, "timestamp");
        properties = Map.copyOf(properties);
        properties.forEach((name, value) -> {
            if (!(value instanceof Number || value instanceof Boolean || value instanceof String)) {
                throw new IllegalArgumentException("property " + name + " is not flat: " + value);
            }
        });
    }
}
