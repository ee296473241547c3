package dev.tally.ledger.audit;

/**
 * The columns of a stored event that its hash covers, as the event store holds them.
 * {@code metaData} and {@code payload} are the stored JSON text, byte for byte.
 */
public record HashedEvent(long globalIndex, String aggregateIdentifier, long sequenceNumber, String type,
                          String eventIdentifier, String payloadType, String payloadRevision, String timeStamp,
                          String metaData, String payload) {
}
