package dev.tally.ledger.api.audit;

/**
 * The event-store stream that holds the ledger's checkpoints. Its '/' keeps it apart from every
 * account and plan stream (API identifiers cannot carry one).
 */
public final class CheckpointStreams {

    public static final String ID = "ledger/checkpoints";

    private CheckpointStreams() {
    }
}
