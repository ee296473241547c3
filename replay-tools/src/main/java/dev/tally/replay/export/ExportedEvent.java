package dev.tally.replay.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.replay.events.AuditMetadata;
import dev.tally.replay.events.StoredEvent;
import java.util.HexFormat;
import java.util.List;

/** One exported record: where the event stands, who caused it, its hash chain links (hex) and its payload. */
record ExportedEvent(long position, String eventId, String aggregate, long sequence, String type, String timestamp,
                     AuditMetadata audit, String hash, String prevHash, JsonNode payload) {

    /** Column and field names, in order; the CSV header and the NDJSON keys are the same. */
    static final List<String> FIELDS = List.of("position", "eventId", "aggregate", "sequence", "type", "timestamp",
            "actor", "requestId", "causationId", "correlationId", "idempotencyKey", "hash", "prevHash", "payload");

    static ExportedEvent of(StoredEvent event, JsonNode metadata, JsonNode payload) {
        return new ExportedEvent(event.position(), event.eventId(), event.aggregate(), event.sequence(),
                event.typeName(), event.timestampText(), AuditMetadata.of(metadata), hex(event.hash()),
                hex(event.prevHash()), payload);
    }

    private static String hex(byte[] bytes) {
        return bytes == null ? null : HexFormat.of().formatHex(bytes);
    }
}
