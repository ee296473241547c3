package dev.tally.projections.support;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The writes of a projection that writes each event as it is handled (events too rare to batch).
 * When PostgreSQL refuses what the event holds, the event is remembered as refused and the whole
 * batch fails, exactly as when {@link BatchScope} finds one: the other projections may already
 * have collected their part of the event, and only the processor's retry, in which every handler
 * refuses the event first, dead-letters it whole. A letter retried from the dead-letter queue is
 * undone on its own instead (its unit of work holds that letter alone), so the queue can record
 * the new cause.
 */
public final class ImmediateWrites {

    private final String name;
    private final Savepoints savepoints;
    private final UnprojectableEvents unprojectable;

    public ImmediateWrites(String name, JdbcTemplate jdbc, UnprojectableEvents unprojectable) {
        this.name = name;
        this.savepoints = new Savepoints(jdbc.getDataSource());
        this.unprojectable = unprojectable;
    }

    /** Runs the writes of the event handled now, unless it is skipped or known not to apply. */
    public void run(Runnable writes) {
        if (!unprojectable.admitsCurrentEvent()) {
            return;
        }
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get();
        boolean retryingLetter = unitOfWork.resources().containsKey(DeadLetter.class.getName());
        try {
            savepoints.run(writes, failure -> retryingLetter);
        } catch (RuntimeException failure) {
            if (DataFaults.isInTheData(failure)) {
                unprojectable.refused((EventMessage<?>) unitOfWork.getMessage(), name, failure);
            }
            throw failure;
        }
    }
}
