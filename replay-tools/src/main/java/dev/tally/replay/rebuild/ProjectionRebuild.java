package dev.tally.replay.rebuild;

import com.zaxxer.hikari.HikariDataSource;
import dev.tally.projections.support.ProjectionSchema;
import dev.tally.projections.support.SkippedEvents;
import dev.tally.projections.support.UnprojectableEvents;
import dev.tally.replay.ToolFailure;
import dev.tally.replay.connection.LedgerDatabase;
import dev.tally.replay.events.EventPayloads;
import dev.tally.replay.events.EventTable;
import dev.tally.replay.events.StoredEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * Drives the server's projection handlers over the history: one thread reads a read-only snapshot
 * up to a head position through a cursor and deals the rows out by aggregate to writer threads,
 * each of which turns its batches into Axon's tracked messages ({@link StoredEventMessages}) and
 * hands them to the same handlers, through Axon's own annotation adapters, in
 * one Axon batching unit of work and one transaction per batch, as the server's processor does (that
 * unit of work is what {@code BatchScope} relies on). Events of one aggregate stay in order on one
 * writer, which is all the projections need, exactly as the server's segments guarantee.
 *
 * <p>It does not run Axon's streaming processor: a rebuild starts from the first event, keeps no
 * token and has nothing to claim, and the processor's coordination cost the rebuild most of its
 * speed (measured: its writers were idle about 84% of the time).
 */
final class ProjectionRebuild {

    /**
     * Events per unit of work and transaction (the server uses 500 while it also ingests). Every batch
     * updates each account's balance and progress rows once, and while the reader's snapshot is open
     * PostgreSQL cannot prune the row versions those updates leave behind, so each update costs more
     * than the last: fewer, larger batches are much cheaper (measured on 1,000,000 events: 31,591
     * events/s with batches of 1,000, 48,764 with 10,000, 46,212 with 20,000).
     */
    static final int BATCH_SIZE_EVENTS = 10_000;
    /** One writer per core of the 2-core reference machine; the reader and PostgreSQL take the rest. */
    static final int WRITERS = 2;
    /** Batches a writer may have waiting: one keeps the reader ahead; more only hold rows in memory longer. */
    static final int QUEUED_BATCHES_PER_WRITER = 1;

    private final LedgerDatabase database;
    private final ProjectionSchema shadow;

    ProjectionRebuild(LedgerDatabase database, ProjectionSchema shadow) {
        this.database = database;
        this.shadow = shadow;
    }

    /** What a rebuild did: how many events it read, and the accounts it held (see {@link HeldAccount}). */
    record Outcome(long events, List<HeldAccount> held) {
    }

    /**
     * Runs every projection over the events up to {@code headPosition}; {@code progress} hears the
     * position reached.
     */
    Outcome run(long headPosition, LongConsumer progress) throws InterruptedException {
        try (HikariDataSource pool = database.openWritePool("tally-replay-shadow", WRITERS)) {
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            TransactionManager transactions = new SpringTransactionManager(new JdbcTransactionManager(pool));
            UnprojectableEvents unprojectable = new UnprojectableEvents(() -> SkippedEvents.inLedger(jdbc));
            List<AnnotationEventHandlerAdapter> handlers = ShadowProjections.all(jdbc, shadow, unprojectable).stream()
                    .map(AnnotationEventHandlerAdapter::new).toList();
            List<RebuildWriter> writers = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                EventPayloads payloads = new EventPayloads();
                writers.add(new RebuildWriter("tally-rebuild-" + i, handlers, transactions,
                        new StoredEventMessages(payloads.serializer()), QUEUED_BATCHES_PER_WRITER, unprojectable));
            }
            writers.forEach(RebuildWriter::start);
            try {
                long events = read(headPosition, writers, progress);
                for (RebuildWriter writer : writers) {
                    writer.finish();
                }
                for (RebuildWriter writer : writers) {
                    writer.awaitDone();
                }
                progress.accept(headPosition);
                List<HeldAccount> held = new ArrayList<>();
                writers.forEach(writer -> held.addAll(writer.held()));
                held.sort(java.util.Comparator.comparingLong(HeldAccount::position));
                return new Outcome(events, held);
            } finally {
                writers.forEach(RebuildWriter::stop);
            }
        }
    }

    private long read(long headPosition, List<RebuildWriter> writers, LongConsumer progress) throws InterruptedException {
        List<List<StoredEvent>> batches = new ArrayList<>();
        for (int i = 0; i < writers.size(); i++) {
            batches.add(new ArrayList<>(BATCH_SIZE_EVENTS));
        }
        long read = 0;
        try (Connection connection = database.openReadOnly()) {
            // The projections never look at the hash links; not reading them halves what each row carries.
            EventTable events = EventTable.inspect(connection).withoutHashChain();
            try (PreparedStatement statement = events.rangeInGlobalOrder(connection, 0, headPosition);
                 ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    StoredEvent event = events.read(rows);
                    int writer = Math.floorMod(event.aggregate().hashCode(), writers.size());
                    List<StoredEvent> batch = batches.get(writer);
                    batch.add(event);
                    if (batch.size() == BATCH_SIZE_EVENTS) {
                        writers.get(writer).submit(batch);
                        batches.set(writer, new ArrayList<>(BATCH_SIZE_EVENTS));
                    }
                    if (++read % BATCH_SIZE_EVENTS == 0) {
                        RebuildWriter.throwIfAnyFailed(writers);
                        progress.accept(lowestCommitted(writers, event.position()));
                    }
                }
            }
            // The snapshot is read: end the read-only transaction before the writers finish.
            connection.commit();
            for (int i = 0; i < writers.size(); i++) {
                if (!batches.get(i).isEmpty()) {
                    writers.get(i).submit(batches.get(i));
                }
            }
            return read;
        } catch (SQLException failure) {
            throw new ToolFailure("reading the events failed: " + failure.getMessage(), failure);
        }
    }

    /** The position every writer has committed, or the reader's when a writer has nothing left to do. */
    private static long lowestCommitted(List<RebuildWriter> writers, long readerPosition) {
        long lowest = readerPosition;
        for (RebuildWriter writer : writers) {
            lowest = Math.min(lowest, writer.committedThrough(readerPosition));
        }
        return lowest;
    }
}
