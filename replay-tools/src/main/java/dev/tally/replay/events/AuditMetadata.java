package dev.tally.replay.events;

import com.fasterxml.jackson.databind.JsonNode;

/** The audit fields of an event's metadata (spec section 9); absent keys are null. */
public record AuditMetadata(String actor, String requestId, String causationId, String correlationId,
                            String idempotencyKey) {

    public static AuditMetadata of(JsonNode metadata) {
        return new AuditMetadata(text(metadata, "actor"), text(metadata, "requestId"), text(metadata, "causationId"),
                text(metadata, "correlationId"), text(metadata, "idempotencyKey"));
    }

    private static String text(JsonNode metadata, String key) {
        JsonNode value = metadata == null ? null : metadata.get(key);
        return value == null || value.isNull() ? null : value.asText();
    }
}
