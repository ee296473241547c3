package dev.tally.integrations.orb;

import java.util.List;
import java.util.function.Function;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.GenericDeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a handler's calls to Orb just before its batch commits, in the order the events came (see
 * {@link OrbUnitOfWork}). A call Orb refuses for good dead-letters its event, and every later event
 * of the same sequence follows it into the queue, so that order holds; Orb being unreachable
 * rolls the whole batch back for a later try.
 */
final class OrbDeferredCalls {

    private static final Logger log = LoggerFactory.getLogger(OrbDeferredCalls.class);

    private record Call(EventMessage<?> message, Runnable action) {
    }

    private final String name;
    private final SequencedDeadLetterQueue<EventMessage<?>> deadLetters;
    private final Function<EventMessage<?>, Object> sequenceOf;

    OrbDeferredCalls(String name, SequencedDeadLetterQueue<EventMessage<?>> deadLetters,
                     Function<EventMessage<?>, Object> sequenceOf) {
        this.name = name;
        this.deadLetters = deadLetters;
        this.sequenceOf = sequenceOf;
    }

    void run(EventMessage<?> message, Runnable action) {
        if (OrbUnitOfWork.isProcessingDeadLetter()) {
            action.run();
            return;
        }
        OrbUnitOfWork.<Call>batch(name, this::flush).add(new Call(message, action));
    }

    private void flush(List<Call> calls) {
        for (Call call : calls) {
            Object sequence = sequenceOf.apply(call.message());
            if (deadLetters.enqueueIfPresent(sequence, () -> new GenericDeadLetter<>(sequence, call.message()))) {
                continue;
            }
            try {
                call.action().run();
            } catch (OrbRejected rejected) {
                if (rejected.isConfigurationError()) {
                    throw rejected;
                }
                park(call, sequence, rejected);
            } catch (OrbSyncRefused refused) {
                park(call, sequence, refused);
            }
        }
    }

    private void park(Call call, Object sequence, RuntimeException refused) {
        log.warn("Event {} of {} dead-lettered: {}", call.message().getIdentifier(), sequence, refused.getMessage());
        deadLetters.enqueue(sequence, new GenericDeadLetter<>(sequence, call.message(), refused));
    }
}
