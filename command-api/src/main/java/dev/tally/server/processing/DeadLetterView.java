package dev.tally.server.processing;

import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One dead-lettered event as the admin API shows it: which processor gave up on it, why, and
 * when. {@code sequence} is the sequence it holds up (events of the same sequence wait behind it);
 * {@code position} and {@code payload} are the event as the event store holds it (null for an
 * event no longer there).
 */
public record DeadLetterView(String id, String group, String sequence, String eventId, String eventType,
                             String aggregateId, Long position, JsonNode payload, Instant enqueuedAt,
                             Instant lastTouched, String causeType, String causeMessage,
                             Map<String, Object> diagnostics) {
}
