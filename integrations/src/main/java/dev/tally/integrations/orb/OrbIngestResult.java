package dev.tally.integrations.orb;

import java.util.List;
import java.util.Map;

/**
 * What Orb said about an ingest batch: nothing failed (a 200), or the events that failed
 * validation, by idempotency key, with their reasons (a 4xx). A batch with failures ingested
 * nothing we rely on: its valid events must be sent again (Orb dedups them by key).
 */
public record OrbIngestResult(Map<String, List<String>> validationFailed) {

    public static final OrbIngestResult ALL_INGESTED = new OrbIngestResult(Map.of());

    public OrbIngestResult {
        validationFailed = Map.copyOf(validationFailed);
    }

    public boolean allIngested() {
        return validationFailed.isEmpty();
    }
}
