package dev.tally.projections.support;

/** An event payload with where it stands: its account's sequence and its global position. */
public record TrackedEvent(String accountId, long sequence, long position, Object payload) {
}
