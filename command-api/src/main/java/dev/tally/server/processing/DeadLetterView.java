package dev.tally.server.processing;

import java.time.Instant;
import java.util.Map;

/**
 * One dead-lettered event as the admin API shows it: which processor gave up on it, why, and
 * when. {@code sequence} is the sequence it holds up (events of the same sequence wait behind it).
 */
public record DeadLetterView(String id, String group, String sequence, String eventId, String eventType,
                             String aggregateId, Instant enqueuedAt, Instant lastTouched, String causeType,
                             String causeMessage, Map<String, Object> diagnostics) {
}
