package dev.tally.integrations.orb;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Where an Orb handler stands in Axon's unit of work. During regular processing the calls to Orb
 * are collected over the processor's whole batch and made once, just before the batch's
 * transaction commits with its token: a failure there rolls the batch back (Orb unreachable) or
 * dead-letters the one event (Orb refused it), and never passes through the dead-letter invoker,
 * which would park a merely transient failure. While Axon retries a dead letter, the call is made
 * at once and any failure is thrown, so that the letter stays queued.
 */
final class OrbUnitOfWork {

    private OrbUnitOfWork() {
    }

    /** Axon's dead-letter processing puts the letter among its unit of work's resources under this name. */
    static boolean isProcessingDeadLetter() {
        return CurrentUnitOfWork.isStarted()
                && CurrentUnitOfWork.get().resources().containsKey(DeadLetter.class.getName());
    }

    /** The calls collected under {@code name} in the current batch, flushed once before it commits. */
    static <T> List<T> batch(String name, Consumer<List<T>> flush) {
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        return root.getOrComputeResource(OrbUnitOfWork.class.getName() + "." + name, key -> {
            List<T> batch = new ArrayList<>();
            root.onPrepareCommit(committing -> flush.accept(batch));
            return batch;
        });
    }
}
