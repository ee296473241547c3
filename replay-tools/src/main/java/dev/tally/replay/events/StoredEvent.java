package dev.tally.replay.events;

import java.time.Instant;

/**
 * One row of the event store as written: JSON as text, the hash chain links when the table has
 * them (null otherwise). {@code recordedAt} is the event's timestamp (when the ledger recorded it).
 */
public record StoredEvent(long position, String aggregate, long sequence, String aggregateType, String eventId,
                         Instant recordedAt, String timestampText, String payloadType, String payloadRevision,
                         String payloadJson, String metadataJson, byte[] hash, byte[] prevHash) {

    /** The event's simple class name, as people call it ({@code UsageRecorded}). */
    public String typeName() {
        String name = payloadType.substring(payloadType.lastIndexOf('.') + 1);
        return name.substring(name.lastIndexOf('$') + 1);
    }
}
