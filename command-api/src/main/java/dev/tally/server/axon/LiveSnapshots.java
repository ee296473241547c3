package dev.tally.server.axon;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots an aggregate from the state it holds in memory, instead of reading and replaying its
 * events again as Axon's snapshotter does: that replay took a tenth of the server's CPU while it
 * ingested. The state is copied while the command that committed still holds the aggregate's lock
 * (one serialization of the account, every TALLY_ACCOUNT_SNAPSHOT_THRESHOLD usage events); a
 * background thread stores the copy. A snapshot that fails is only logged, and never fails the
 * command: the events are the record, a snapshot only shortens a cold load.
 */
final class LiveSnapshots {

    private static final Logger log = LoggerFactory.getLogger(LiveSnapshots.class);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

    private final Supplier<EventStore> eventStore;
    private volatile EventStore resolvedEventStore;
    private final Serializer serializer;
    private final TransactionManager transactions;
    private final ExecutorService executor =
            Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "snapshotter"));

    /** The event store is looked up when the first snapshot is stored: it is built from the configuration that uses this. */
    LiveSnapshots(Supplier<EventStore> eventStore, Serializer serializer, TransactionManager transactions) {
        this.eventStore = eventStore;
        this.serializer = serializer;
        this.transactions = transactions;
    }

    /** Copies {@code aggregate}'s state now and stores it as its snapshot soon. Call it while holding the aggregate's lock. */
    void take(EventSourcedAggregate<?> aggregate) {
        Long version = aggregate.version();
        if (version == null) {
            return;
        }
        String type = aggregate.type();
        String identifier = aggregate.identifierAsString();
        try {
            EventStore target = eventStore();
            SerializedObject<byte[]> state = serializer.serialize(aggregate.getAggregateRoot(), byte[].class);
            executor.execute(() -> store(target, type, identifier, version, state));
        } catch (RejectedExecutionException shuttingDown) {
            log.debug("no snapshot of {} {}: the snapshot thread is stopping", type, identifier);
        } catch (RuntimeException failure) {
            log.warn("could not copy the state of {} {} for a snapshot: {}", type, identifier, failure.toString());
        }
    }

    /**
     * Stores the snapshots already copied, then stops. Called before the event store and its database
     * connections are closed (this depends on them), so that none is left to fail on a closed pool.
     */
    void close() throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(SHUTDOWN_WAIT.toSeconds(), TimeUnit.SECONDS)) {
            log.info("snapshots not stored at shutdown: {} (they are taken again later)", executor.shutdownNow().size());
        }
    }

    /** Resolved while the server runs, so that snapshots still queued at shutdown do not look it up then. */
    private EventStore eventStore() {
        EventStore resolved = resolvedEventStore;
        if (resolved == null) {
            resolved = eventStore.get();
            resolvedEventStore = resolved;
        }
        return resolved;
    }

    private void store(EventStore target, String type, String identifier, long version, SerializedObject<byte[]> state) {
        try {
            Object copy = serializer.deserialize(state);
            transactions.executeInTransaction(() ->
                    target.storeSnapshot(new GenericDomainEventMessage<>(type, identifier, version, copy)));
        } catch (RuntimeException failure) {
            log.warn("could not store the snapshot of {} {} at sequence {}: {}", type, identifier, version,
                    failure.toString());
        }
    }
}
