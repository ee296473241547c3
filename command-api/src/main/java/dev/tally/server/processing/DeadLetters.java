package dev.tally.server.processing;

import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.server.web.error.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcDeadLetter;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;

/**
 * The dead-letter queues of the processors this process runs. A letter is named by its row id in
 * {@code axon.dead_letter_entry}. Retrying hands the letter back to its processor's own handler
 * (Axon's dead-letter processor), so a retry does exactly what live processing would have done.
 */
public class DeadLetters {

    private final EventProcessingConfiguration processing;

    public DeadLetters(EventProcessingConfiguration processing) {
        this.processing = processing;
    }

    /** The processing groups of this process that keep dead letters, sorted. */
    public List<String> groups() {
        List<String> groups = new ArrayList<>();
        for (String group : new TreeSet<>(processing.eventProcessors().keySet())) {
            if (processing.deadLetterQueue(group).isPresent()) {
                groups.add(group);
            }
        }
        return groups;
    }

    public long count(String group) {
        return queue(group).size();
    }

    /** Up to {@code limit} letters of {@code group}, or of every group when it is null, in queue order. */
    public List<DeadLetterView> list(String group, int limit) {
        List<DeadLetterView> letters = new ArrayList<>();
        for (String each : group == null ? groups() : List.of(group)) {
            for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : queue(each).deadLetters()) {
                for (DeadLetter<? extends EventMessage<?>> letter : sequence) {
                    if (letters.size() == limit) {
                        return letters;
                    }
                    letters.add(view(each, letter));
                }
            }
        }
        return letters;
    }

    /**
     * Hands the letter back to its processor. Axon retries a sequence from its head, so only a letter
     * that heads its sequence can be retried; the letters behind it follow when it succeeds.
     */
    public RetryOutcome retry(String group, String id) {
        DeadLetter<? extends EventMessage<?>> letter = find(group, id);
        SequencedDeadLetterProcessor<EventMessage<?>> processor = processing.sequencedDeadLetterProcessor(group)
                .orElseThrow(() -> unknownGroup(group));
        boolean headsItsSequence = letter instanceof JdbcDeadLetter<?> jdbc && jdbc.getSequenceIndex() == firstIndex(group,
                jdbc.getSequenceIdentifier());
        if (!headsItsSequence) {
            throw new ProblemException(ErrorCode.INVALID_FIELD, "dead letter " + id
                    + " waits behind an earlier one of its sequence; retry that one first");
        }
        boolean processed = processor.process(candidate -> id.equals(idOf(candidate)));
        Optional<DeadLetter<? extends EventMessage<?>>> still = findOptional(group, id);
        return new RetryOutcome(processed && still.isEmpty(), still.map(left -> view(group, left)).orElse(null));
    }

    /** Removes the letter for good: its event will not be processed by this processor again. */
    public void discard(String group, String id) {
        queue(group).evict(find(group, id));
    }

    private long firstIndex(String group, String sequenceIdentifier) {
        long first = Long.MAX_VALUE;
        for (DeadLetter<? extends EventMessage<?>> letter : queue(group).deadLetterSequence(sequenceIdentifier)) {
            if (letter instanceof JdbcDeadLetter<?> jdbc) {
                first = Math.min(first, jdbc.getSequenceIndex());
            }
        }
        return first;
    }

    private DeadLetter<? extends EventMessage<?>> find(String group, String id) {
        return findOptional(group, id).orElseThrow(() -> new ProblemException(ErrorCode.NOT_FOUND,
                "processor " + group + " has no dead letter " + id));
    }

    private Optional<DeadLetter<? extends EventMessage<?>>> findOptional(String group, String id) {
        for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : queue(group).deadLetters()) {
            for (DeadLetter<? extends EventMessage<?>> letter : sequence) {
                if (id.equals(idOf(letter))) {
                    return Optional.of(letter);
                }
            }
        }
        return Optional.empty();
    }

    private SequencedDeadLetterQueue<EventMessage<?>> queue(String group) {
        return processing.deadLetterQueue(group).orElseThrow(() -> unknownGroup(group));
    }

    private ProblemException unknownGroup(String group) {
        return new ProblemException(ErrorCode.NOT_FOUND, "this process runs no processor " + group
                + " with a dead-letter queue; it runs " + groups());
    }

    private static String idOf(DeadLetter<?> letter) {
        return letter instanceof JdbcDeadLetter<?> jdbc ? jdbc.getIdentifier() : letter.message().getIdentifier();
    }

    private static DeadLetterView view(String group, DeadLetter<? extends EventMessage<?>> letter) {
        EventMessage<?> message = letter.message();
        Map<String, Object> diagnostics = new TreeMap<>(letter.diagnostics());
        return new DeadLetterView(idOf(letter), group,
                letter instanceof JdbcDeadLetter<?> jdbc ? jdbc.getSequenceIdentifier() : null,
                message.getIdentifier(), message.getPayloadType().getSimpleName(),
                message instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : null,
                letter.enqueuedAt(), letter.lastTouched(),
                letter.cause().map(cause -> cause.type()).orElse(null),
                letter.cause().map(cause -> cause.message()).orElse(null), diagnostics);
    }
}
