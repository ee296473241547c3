package dev.tally.ledger.audit;

/** The last event of one aggregate stream at some global position: its sequence and hash. */
public record StreamHead(String aggregateIdentifier, long sequenceNumber, byte[] hash) {
}
