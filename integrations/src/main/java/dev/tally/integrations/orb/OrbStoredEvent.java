package dev.tally.integrations.orb;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * An event as Orb holds it ({@code POST /v1/events/search}); numeric properties are exact
 * {@link BigDecimal}s, so that totals compare to the cent with the ledger's.
 */
public record OrbStoredEvent(String idempotencyKey, String externalCustomerId, String eventName, Instant timestamp,
                             boolean deprecated, Map<String, Object> properties) {

    public OrbStoredEvent {
        properties = Map.copyOf(properties);
    }
}
