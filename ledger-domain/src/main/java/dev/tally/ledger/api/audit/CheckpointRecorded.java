package dev.tally.ledger.api.audit;

import java.time.Instant;

/** A checkpoint: the digest of all stream heads at global {@code position}, recomputable from the events. */
public record CheckpointRecorded(long position, long streams, String digest, Instant recordedAt) {
}
