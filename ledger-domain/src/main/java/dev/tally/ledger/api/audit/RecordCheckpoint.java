package dev.tally.ledger.api.audit;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Records the digest of every stream head at global {@code position} (see
 * {@code dev.tally.ledger.audit.CheckpointDigest}); {@code streams} is how many heads it covers.
 */
public record RecordCheckpoint(long position, long streams, String digest) {

    @TargetAggregateIdentifier
    public String streamId() {
        return CheckpointStreams.ID;
    }
}
