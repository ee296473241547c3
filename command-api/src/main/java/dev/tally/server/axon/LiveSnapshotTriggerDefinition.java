package dev.tally.server.axon;

import dev.tally.ledger.api.usage.UsageBatchRecorded;
import java.io.Serializable;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.SnapshotTrigger;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.messaging.Scope;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * Snapshots an aggregate once {@code threshold} events have been applied to it since it was loaded
 * or last snapshotted, as Axon's event-count trigger does (a stored batch of usage counts as each
 * of its usage events, since that is what a cold load replays), but from its live state
 * ({@link LiveSnapshots}) after the unit of work that crossed the threshold has committed.
 */
final class LiveSnapshotTriggerDefinition implements SnapshotTriggerDefinition {

    private final LiveSnapshots snapshots;
    private final int threshold;

    LiveSnapshotTriggerDefinition(LiveSnapshots snapshots, int threshold) {
        this.snapshots = snapshots;
        this.threshold = threshold;
    }

    @Override
    public SnapshotTrigger prepareTrigger(Class<?> aggregateType) {
        return new Trigger(snapshots, threshold);
    }

    /** A trigger that comes back from the aggregate cache has lost its (transient) link to the snapshots. */
    @Override
    public SnapshotTrigger reconfigure(Class<?> aggregateType, SnapshotTrigger trigger) {
        if (trigger instanceof Trigger cached) {
            cached.snapshots = snapshots;
            return cached;
        }
        return prepareTrigger(aggregateType);
    }

    private static final class Trigger implements SnapshotTrigger, Serializable {

        private static final long serialVersionUID = 1L;

        private transient LiveSnapshots snapshots;
        private final int threshold;
        private int eventsSinceSnapshot;

        Trigger(LiveSnapshots snapshots, int threshold) {
            this.snapshots = snapshots;
            this.threshold = threshold;
        }

        @Override
        public void eventHandled(EventMessage<?> event) {
            eventsSinceSnapshot += event.getPayload() instanceof UsageBatchRecorded batch ? batch.usages().size() : 1;
            if (eventsSinceSnapshot < threshold || snapshots == null || !CurrentUnitOfWork.isStarted()) {
                return;
            }
            // Events are applied inside the aggregate's own scope, both when it loads and when it handles a command.
            Scope scope;
            try {
                scope = Scope.getCurrentScope();
            } catch (IllegalStateException outsideAnyScope) {
                return;
            }
            // The aggregate that applies this event: not another one whose scope this event happens to run in.
            if (scope instanceof EventSourcedAggregate<?> aggregate && event instanceof DomainEventMessage<?> domainEvent
                    && domainEvent.getAggregateIdentifier().equals(aggregate.identifierAsString())) {
                eventsSinceSnapshot = 0;
                LiveSnapshots target = snapshots;
                CurrentUnitOfWork.get().afterCommit(unitOfWork -> target.take(aggregate));
            }
        }

        @Override
        public void initializationFinished() {
            // Events replayed while loading count towards the threshold, as with Axon's own trigger.
        }
    }
}
