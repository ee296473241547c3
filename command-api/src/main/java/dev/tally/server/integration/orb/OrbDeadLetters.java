package dev.tally.server.integration.orb;

import dev.tally.integrations.orb.OrbAccountSync;
import dev.tally.integrations.orb.OrbUsageForwarder;
import java.util.List;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;

/**
 * The Orb processors' dead letters: how many sequences are parked, and a retry of them through
 * Axon's dead-letter processor, which hands each letter to the same handlers again (a usage event
 * is then sent alone). For operators and tests until the generic admin endpoints exist.
 */
public class OrbDeadLetters {

    /** The most letters one retry call processes, so that a call always ends. */
    public static final int RETRIES_PER_CALL_MAX = 1_000;

    public static final List<String> GROUPS = List.of(OrbUsageForwarder.PROCESSING_GROUP,
            OrbAccountSync.PROCESSING_GROUP);

    private final EventProcessingConfiguration processing;
    private final SequencedDeadLetterQueue<EventMessage<?>> usage;
    private final SequencedDeadLetterQueue<EventMessage<?>> accounts;

    OrbDeadLetters(EventProcessingConfiguration processing, SequencedDeadLetterQueue<EventMessage<?>> usage,
                   SequencedDeadLetterQueue<EventMessage<?>> accounts) {
        this.processing = processing;
        this.usage = usage;
        this.accounts = accounts;
    }

    /** The number of parked sequences of {@code group} (for usage, one per refused event). */
    public long sequences(String group) {
        return queueOf(group).amountOfSequences();
    }

    /** The number of parked letters of {@code group}, over all its sequences. */
    public long letters(String group) {
        return queueOf(group).size();
    }

    /** Retries every parked sequence of {@code group} once; answers how many sequences went through. */
    public int retry(String group) {
        queueOf(group);
        var processor = processing.sequencedDeadLetterProcessor(group)
                .orElseThrow(() -> new IllegalStateException("no dead-letter processor for " + group));
        long parked = sequences(group);
        int succeeded = 0;
        for (int i = 0; i < Math.min(parked, RETRIES_PER_CALL_MAX); i++) {
            if (processor.processAny()) {
                succeeded++;
            }
        }
        return succeeded;
    }

    private SequencedDeadLetterQueue<EventMessage<?>> queueOf(String group) {
        if (OrbUsageForwarder.PROCESSING_GROUP.equals(group)) {
            return usage;
        }
        if (OrbAccountSync.PROCESSING_GROUP.equals(group)) {
            return accounts;
        }
        throw new IllegalArgumentException("not an Orb processing group: " + group);
    }
}
