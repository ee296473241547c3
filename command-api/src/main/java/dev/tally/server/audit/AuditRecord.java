package dev.tally.server.audit;

/** One stored event as the audit trail reads it: the event table's columns, JSON as stored text. */
record AuditRecord(long position, String eventId, long sequence, String payloadType, String recordedAt,
                   String metaData, String payload, byte[] hash, byte[] prevHash) {

    /** The event's type without its package: {@code UsageRecorded}. */
    String type() {
        return payloadType.substring(payloadType.lastIndexOf('.') + 1);
    }
}
