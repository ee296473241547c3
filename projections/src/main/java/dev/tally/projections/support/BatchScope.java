package dev.tally.projections.support;

import java.util.function.Consumer;
import java.util.function.Supplier;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Collects a projection's writes over the whole batch of events a streaming processor handles
 * in one unit of work, and writes them once, just before that unit of work commits. One round
 * trip per batch instead of several per event is what lets the projections keep up with
 * ingestion; the writes still commit atomically with the processor's token.
 */
public final class BatchScope {

    private BatchScope() {
    }

    /** The batch of {@code name} for the current unit of work, created (and its flush registered) on first use. */
    public static <T> T current(String name, Supplier<T> newBatch, Consumer<T> flush) {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        return unitOfWork.getOrComputeResource(BatchScope.class.getName() + "." + name, key -> {
            T batch = newBatch.get();
            unitOfWork.onPrepareCommit(committing -> flush.accept(batch));
            return batch;
        });
    }
}
