package dev.tally.server.processing;

import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.ledger.api.projection.SkipEventInProjections;
import dev.tally.projections.support.UnprojectableEvents;
import dev.tally.server.web.command.LedgerCommands;
import dev.tally.server.web.error.ProblemException;
import dev.tally.server.web.position.LedgerPositions;
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
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * The dead-letter queues of the processors this process runs. A letter is named by its row id in
 * {@code axon.dead_letter_entry}. Retrying hands the letter back to its processor's own handler
 * (Axon's dead-letter processor), so a retry does exactly what live processing would have done.
 * Skipping records the decision in the ledger ({@code ProjectionEventSkipped}, with the admin as its
 * actor), removes the letter and hands the letters held behind it to the processor.
 */
public class DeadLetters {

    /** What a skip did: the skipped event, and the letters of its account applied after it. */
    public record SkipOutcome(String eventId, long position, String accountId, boolean heldLettersProcessed) {
    }

    /** Rounds of handing an account's held letters to its processor after a skip. */
    static final int DRAIN_ROUNDS_MAX = 5;

    private final EventProcessingConfiguration processing;
    private final LedgerPositions positions;
    private final JdbcTemplate jdbc;
    private final LedgerCommands commands;
    private final ObjectProvider<UnprojectableEvents> unprojectable;
    private final ObjectMapper json;

    public DeadLetters(EventProcessingConfiguration processing, LedgerPositions positions, JdbcTemplate jdbc,
                       LedgerCommands commands, ObjectProvider<UnprojectableEvents> unprojectable, ObjectMapper json) {
        this.positions = positions;
        this.json = json;
        this.processing = processing;
        this.jdbc = jdbc;
        this.commands = commands;
        this.unprojectable = unprojectable;
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
        requireHeadOfSequence(group, id, letter);
        // The projections refuse an event they found not to apply without trying it again; a retry tries.
        unprojectable.ifAvailable(events -> events.retrying(letter.message().getIdentifier()));
        boolean processed = processor.process(candidate -> id.equals(idOf(candidate)));
        Optional<DeadLetter<? extends EventMessage<?>>> still = findOptional(group, id);
        return new RetryOutcome(processed && still.isEmpty(), still.map(left -> view(group, left)).orElse(null));
    }

    /**
     * Skips the event of the letter: records {@code ProjectionEventSkipped} on its account's stream
     * (the current request's caller is its actor), so every projection and every rebuild leave it
     * out; removes the letter; and hands the account's letters held behind it to the processor.
     * Only the letter heading its sequence can be skipped, and only an account's event.
     */
    public SkipOutcome skip(String group, String id, String reason) {
        DeadLetter<? extends EventMessage<?>> letter = find(group, id);
        SequencedDeadLetterProcessor<EventMessage<?>> processor = processing.sequencedDeadLetterProcessor(group)
                .orElseThrow(() -> unknownGroup(group));
        requireHeadOfSequence(group, id, letter);
        if (!(letter.message() instanceof DomainEventMessage<?> event)) {
            throw new ProblemException(ErrorCode.INVALID_FIELD, "dead letter " + id + " holds no account's event");
        }
        String eventId = event.getIdentifier();
        long position = positionOf(eventId);
        commands.send(new SkipEventInProjections(event.getAggregateIdentifier(), eventId, position, group, reason));
        unprojectable.ifAvailable(events -> events.skipped(eventId));
        // Until the processor has passed the skip, it may still queue the account's events behind the letter.
        awaitProcessed(group, positions.latestPositionOf(List.of(event.getAggregateIdentifier())));
        queue(group).evict(letter);
        String sequence = ((JdbcDeadLetter<?>) letter).getSequenceIdentifier();
        return new SkipOutcome(eventId, position, event.getAggregateIdentifier(), drain(group, processor, sequence));
    }

    /**
     * Hands the letters of {@code sequence} to the processor until none is left: the processor may
     * queue one more behind them while they are handed over (it saw the sequence still present), so
     * it is asked again once it has caught up, at most {@link #DRAIN_ROUNDS_MAX} times. False when a
     * letter failed again, or letters are still left after the last round.
     */
    private boolean drain(String group, SequencedDeadLetterProcessor<EventMessage<?>> processor, String sequence) {
        for (int round = 0; round < DRAIN_ROUNDS_MAX; round++) {
            if (!queue(group).contains(sequence)) {
                return true;
            }
            if (!processor.process(candidate -> candidate instanceof JdbcDeadLetter<?> next
                    && sequence.equals(next.getSequenceIdentifier()))) {
                return false;
            }
            awaitProcessed(group, positions.eventStoreHead());
        }
        return !queue(group).contains(sequence);
    }

    /** Waits (as a read with minPosition does) for the processor to pass {@code position}; on, if it does not. */
    private void awaitProcessed(String group, long position) {
        try {
            positions.await(group, position);
        } catch (ProblemException notYet) {
            if (notYet.code() != ErrorCode.POSITION_NOT_REACHED) {
                throw notYet;
            }
        }
    }

    private void requireHeadOfSequence(String group, String id, DeadLetter<? extends EventMessage<?>> letter) {
        boolean headsItsSequence = letter instanceof JdbcDeadLetter<?> jdbcLetter
                && jdbcLetter.getSequenceIndex() == firstIndex(group, jdbcLetter.getSequenceIdentifier());
        if (!headsItsSequence) {
            throw new ProblemException(ErrorCode.INVALID_FIELD, "dead letter " + id
                    + " waits behind an earlier one of its sequence; retry or skip that one first");
        }
    }

    /** The event's own global position, from the event table (a tracking token holds a high-water mark). */
    private long positionOf(String eventId) {
        return jdbc.query("SELECT globalIndex FROM events.domain_event_entry WHERE eventIdentifier = ?",
                (row, index) -> row.getLong(1), eventId).stream().findFirst()
                .orElseThrow(() -> new ProblemException(ErrorCode.NOT_FOUND, "event " + eventId
                        + " is not in the event store"));
    }

    /** Removes the letter for good: its event will not be processed by this processor again. */
    public void discard(String group, String id) {
        queue(group).evict(find(group, id));
    }

    private long firstIndex(String group, String sequenceIdentifier) {
        long first = Long.MAX_VALUE;
        for (DeadLetter<? extends EventMessage<?>> letter : queue(group).deadLetterSequence(sequenceIdentifier)) {
            if (letter instanceof JdbcDeadLetter<?> jdbcLetter) {
                first = Math.min(first, jdbcLetter.getSequenceIndex());
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
        return letter instanceof JdbcDeadLetter<?> jdbcLetter ? jdbcLetter.getIdentifier() : letter.message().getIdentifier();
    }

    private record Stored(long position, String payload) {
    }

    private DeadLetterView view(String group, DeadLetter<? extends EventMessage<?>> letter) {
        EventMessage<?> message = letter.message();
        Map<String, Object> diagnostics = new TreeMap<>(letter.diagnostics());
        Optional<Stored> stored = jdbc.query(
                "SELECT globalIndex, payload::text FROM events.domain_event_entry WHERE eventIdentifier = ?",
                (row, index) -> new Stored(row.getLong(1), row.getString(2)), message.getIdentifier()).stream().findFirst();
        return new DeadLetterView(idOf(letter), group,
                letter instanceof JdbcDeadLetter<?> jdbcLetter ? jdbcLetter.getSequenceIdentifier() : null,
                message.getIdentifier(), message.getPayloadType().getSimpleName(),
                message instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : null,
                stored.map(Stored::position).orElse(null), stored.map(found -> json.readTree(found.payload())).orElse(null),
                letter.enqueuedAt(), letter.lastTouched(),
                letter.cause().map(cause -> cause.type()).orElse(null),
                letter.cause().map(cause -> cause.message()).orElse(null), diagnostics);
    }
}
