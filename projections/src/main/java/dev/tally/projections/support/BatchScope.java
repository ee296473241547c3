package dev.tally.projections.support;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Collects a projection's writes over the whole batch of events a streaming processor handles
 * in one unit of work, and writes them once, just before that unit of work commits. One round
 * trip per batch instead of several per event is what lets the projections keep up with
 * ingestion; the writes still commit atomically with the processor's token.
 *
 * <p>When PostgreSQL refuses the batch's writes for what an event holds, the batch is written
 * again event by event (each behind a savepoint) to find that event, which
 * {@link UnprojectableEvents} then refuses in the handlers; the batch fails this once, and the
 * processor's retry dead-letters that event for its account and applies the others. A letter
 * being retried from the dead-letter queue is written in its own unit of work, so that a failure
 * stays with that letter.
 *
 * @param <T> what the projection collects per event
 */
public final class BatchScope<T> {

    private static final class Pending<T> {
        final List<T> items = new ArrayList<>();
        final List<EventMessage<?>> events = new ArrayList<>();
    }

    private final String name;
    private final Savepoints savepoints;
    private final UnprojectableEvents unprojectable;
    private final Consumer<List<T>> write;

    /** {@code write} writes what was collected for a list of events, in their order. */
    public BatchScope(String name, JdbcTemplate jdbc, UnprojectableEvents unprojectable, Consumer<List<T>> write) {
        this.name = name;
        this.savepoints = new Savepoints(jdbc.getDataSource());
        this.unprojectable = unprojectable;
        this.write = write;
    }

    /** Adds {@code item} for the event being handled now; it is written with the rest of its batch. */
    public void add(T item) {
        UnitOfWork<?> current = CurrentUnitOfWork.get();
        UnitOfWork<?> unitOfWork = current.resources().containsKey(DeadLetter.class.getName()) ? current : current.root();
        Pending<T> pending = unitOfWork.getOrComputeResource(BatchScope.class.getName() + "." + name, key -> {
            Pending<T> created = new Pending<>();
            unitOfWork.onPrepareCommit(committing -> flush(created));
            return created;
        });
        pending.items.add(item);
        pending.events.add((EventMessage<?>) current.getMessage());
    }

    /**
     * The plain batch of {@code name} for the current unit of work, flushed once before it commits,
     * without the search for a refused event: for the warehouse export, whose failures are the
     * destination's (unreachable, refusing rows it keeps as dead letters of its own), not the data's.
     */
    public static <B> B current(String name, Supplier<B> newBatch, Consumer<B> flush) {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        return unitOfWork.getOrComputeResource(BatchScope.class.getName() + "." + name, key -> {
            B batch = newBatch.get();
            unitOfWork.onPrepareCommit(committing -> flush.accept(batch));
            return batch;
        });
    }

    private void flush(Pending<T> pending) {
        try {
            savepoints.run(() -> write.accept(pending.items));
        } catch (RuntimeException failure) {
            if (DataFaults.isInTheData(failure)) {
                findRefusedEvent(pending);
            }
            throw failure;
        }
    }

    /**
     * Writes the batch again one event at a time, each behind its own savepoint, up to the first
     * event whose writes PostgreSQL refuses; everything is undone afterwards (the batch fails).
     */
    private void findRefusedEvent(Pending<T> pending) {
        try {
            savepoints.run(() -> {
                for (int index = 0; index < pending.items.size(); index++) {
                    T item = pending.items.get(index);
                    try {
                        savepoints.run(() -> write.accept(List.of(item)));
                    } catch (RuntimeException failure) {
                        if (DataFaults.isInTheData(failure)) {
                            unprojectable.refused(pending.events.get(index), name, failure);
                        }
                        break;
                    }
                }
                throw new TrialUndone();
            });
        } catch (TrialUndone undone) {
            // Rolled back to before the trial, as intended.
        }
    }

    /** Undoes the event-by-event trial: it only looked for the refused event. */
    private static final class TrialUndone extends RuntimeException {
        TrialUndone() {
            super(null, null, false, false);
        }
    }
}
