package dev.tally.ledger.api.usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * One usage event as a client sent it. Fields may be missing or invalid here: the ledger
 * answers each submission with its own outcome rather than failing the batch.
 */
public record UsageSubmission(String idempotencyKey, String meter, BigDecimal quantity, Instant timestamp,
                              Map<String, Object> properties) {

    public UsageSubmission {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }
}
