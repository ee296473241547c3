package dev.tally.replay.verify;

import dev.tally.replay.events.EventTable;
import dev.tally.replay.events.StoredEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads the events in global order on its own thread and hands them over in batches, so that
 * decoding rows from the driver overlaps with checking them. Bounded: at most
 * {@value #BATCHES_IN_FLIGHT} batches wait, whatever the size of the ledger.
 */
final class EventBatches implements AutoCloseable {

    static final int BATCH_SIZE = 1_000;
    static final int BATCHES_IN_FLIGHT = 8;
    private static final List<StoredEvent> END = List.of();

    private final BlockingQueue<List<StoredEvent>> queue = new ArrayBlockingQueue<>(BATCHES_IN_FLIGHT);
    private final Thread reader;
    private volatile Exception failure;
    private volatile boolean closed;

    EventBatches(Connection connection, EventTable table, long head) {
        reader = new Thread(() -> read(connection, table, head), "verify-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** The next batch in global order; empty once every event was handed over. */
    List<StoredEvent> next() throws Exception {
        List<StoredEvent> batch = queue.take();
        if (batch == END && failure != null) {
            throw failure;
        }
        return batch;
    }

    private void read(Connection connection, EventTable table, long head) {
        try (PreparedStatement statement = table.rangeInGlobalOrder(connection, Long.MIN_VALUE, head);
             ResultSet rows = statement.executeQuery()) {
            List<StoredEvent> batch = new ArrayList<>(BATCH_SIZE);
            while (!closed && rows.next()) {
                batch.add(table.read(rows));
                if (batch.size() == BATCH_SIZE) {
                    hand(batch);
                    batch = new ArrayList<>(BATCH_SIZE);
                }
            }
            if (!batch.isEmpty()) {
                hand(batch);
            }
        } catch (Exception readFailure) {
            failure = readFailure;
        } finally {
            try {
                hand(END);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void hand(List<StoredEvent> batch) throws InterruptedException {
        while (!closed && !queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
            // The consumer is slower; wait for room unless it gave up.
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        queue.clear();
        reader.join(TimeUnit.SECONDS.toMillis(30));
    }
}
