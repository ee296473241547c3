package dev.tally.replay.rebuild;

import com.zaxxer.hikari.HikariDataSource;
import dev.tally.projections.support.ProcessingGroups;
import dev.tally.projections.support.ProjectionSchema;
import dev.tally.replay.ToolFailure;
import dev.tally.replay.connection.LedgerDatabase;
import dev.tally.replay.events.EventPayloads;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongConsumer;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * Drives the server's projection handlers over the history with Axon itself: a pooled streaming
 * processor like the server's (same handlers, same per-batch unit of work that {@code BatchScope}
 * relies on), reading a read-only snapshot up to a head position and writing into the shadow
 * schema through its own pool. Tokens live in memory: the rebuild always starts from the first event.
 */
final class ProjectionRebuild {

    /** Events per unit of work (the server uses 500 while it also ingests; a rebuild only writes). */
    static final int BATCH_SIZE_EVENTS = 1_000;
    /** One segment per core of the 2-core reference machine; PostgreSQL takes the rest. */
    static final int SEGMENTS = 2;
    /** The processor's own threads plus one spare, so a claim never waits for a connection. */
    static final int WRITE_POOL_CONNECTIONS = SEGMENTS + 1;
    static final long STATUS_POLL_MILLIS = 100;
    /** A rebuild whose position has not moved for this long is stuck, not slow. */
    static final Duration STALL_LIMIT = Duration.ofMinutes(2);

    private final LedgerDatabase database;
    private final ProjectionSchema shadow;

    ProjectionRebuild(LedgerDatabase database, ProjectionSchema shadow) {
        this.database = database;
        this.shadow = shadow;
    }

    /** Runs every projection over the events up to {@code headPosition}; {@code progress} hears the position reached. */
    void run(long headPosition, LongConsumer progress) throws InterruptedException {
        EventPayloads payloads = new EventPayloads();
        try (HikariDataSource pool = database.openWritePool("tally-replay-shadow", WRITE_POOL_CONNECTIONS)) {
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            TransactionManager transactions = new SpringTransactionManager(new JdbcTransactionManager(pool));
            SnapshotEventSource source = new SnapshotEventSource(database, payloads.serializer(), headPosition);
            Configuration axon = configure(jdbc, transactions, source, payloads).buildConfiguration();
            axon.start();
            try {
                PooledStreamingEventProcessor processor = axon.eventProcessingConfiguration()
                        .eventProcessor(ProcessingGroups.LEDGER_PROJECTIONS, PooledStreamingEventProcessor.class)
                        .orElseThrow();
                awaitHead(processor, headPosition, progress);
            } finally {
                axon.shutdown();
            }
        }
    }

    private Configurer configure(JdbcTemplate jdbc, TransactionManager transactions, SnapshotEventSource source,
                                 EventPayloads payloads) {
        String group = ProcessingGroups.LEDGER_PROJECTIONS;
        Configurer configurer = DefaultConfigurer.defaultConfiguration()
                .configureSerializer(config -> payloads.serializer())
                .configureEventSerializer(config -> payloads.serializer())
                .configureTransactionManager(config -> transactions);
        configurer.eventProcessing(processing -> {
            processing.registerPooledStreamingEventProcessor(group, config -> source, (config, builder) -> builder
                    .batchSize(BATCH_SIZE_EVENTS)
                    .initialSegmentCount(SEGMENTS)
                    .maxClaimedSegments(SEGMENTS)
                    .tokenClaimInterval(STATUS_POLL_MILLIS));
            processing.registerTokenStore(group, config -> new InMemoryTokenStore());
            // A failing handler stops the rebuild; logging and skipping the event would leave a wrong shadow.
            processing.registerListenerInvocationErrorHandler(group, config -> PropagatingErrorHandler.instance());
            for (Object projection : ShadowProjections.all(jdbc, shadow)) {
                processing.registerEventHandler(config -> projection);
            }
        });
        return configurer;
    }

    private static void awaitHead(PooledStreamingEventProcessor processor, long headPosition, LongConsumer progress)
            throws InterruptedException {
        long reached = -1;
        long lastMoveNanos = System.nanoTime();
        while (true) {
            Map<Integer, EventTrackerStatus> segments = processor.processingStatus();
            long lowest = Long.MAX_VALUE;
            for (EventTrackerStatus segment : segments.values()) {
                if (segment.isErrorState()) {
                    throw new ToolFailure("a projection failed at position " + segment.getCurrentPosition().orElse(0)
                            + ": " + segment.getError(), segment.getError());
                }
                lowest = Math.min(lowest, segment.getCurrentPosition().orElse(0));
            }
            if (segments.size() < SEGMENTS) {
                lowest = 0;
            }
            if (lowest != reached) {
                reached = lowest;
                lastMoveNanos = System.nanoTime();
                progress.accept(reached);
            }
            if (reached >= headPosition) {
                return;
            }
            if (System.nanoTime() - lastMoveNanos > STALL_LIMIT.toNanos()) {
                throw new ToolFailure("the rebuild made no progress for " + STALL_LIMIT + " at position " + reached);
            }
            Thread.sleep(STATUS_POLL_MILLIS);
        }
    }
}
