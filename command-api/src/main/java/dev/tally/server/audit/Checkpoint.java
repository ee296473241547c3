package dev.tally.server.audit;

import java.time.Instant;

/**
 * A checkpoint as an auditor keeps it: the digest of all stream heads at {@code position}. The
 * same JSON, saved to a file, is what {@code tally-replay verify --digest FILE} checks against.
 */
public record Checkpoint(String format, long position, long streams, String digest, Instant recordedAt) {

    public static final String FORMAT = "tally-checkpoint-v1";
}
