package dev.tally.ledger.audit;

/**
 * An event exactly as the event store holds it: the columns its hash covers, as text.
 * {@code metaData} and {@code payload} are the stored JSON text, byte for byte.
 */
public record StoredEvent(long globalIndex, String aggregateIdentifier, long sequenceNumber, String type,
                          String eventIdentifier, String payloadType, String payloadRevision, String timeStamp,
                          String metaData, String payload) {
}
