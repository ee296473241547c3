package dev.tally.projections.warehouse;

import java.time.Instant;
import java.util.Objects;

/**
 * One ledger event as the export sees it: its identity, where it stands in the ledger (global
 * position, its stream and sequence), when the ledger recorded it, and its payload.
 */
public record ExportedEvent(String eventId, long position, String streamId, long sequence, Instant recordedAt,
                            Object payload) {

    public ExportedEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(payload, "payload");
        if (position < 0) {
            throw new IllegalArgumentException("a global position is never negative: " + position);
        }
    }

    /** The payload's simple class name, as people call the event ({@code UsageRecorded}). */
    public String typeName() {
        return payload.getClass().getSimpleName();
    }
}
