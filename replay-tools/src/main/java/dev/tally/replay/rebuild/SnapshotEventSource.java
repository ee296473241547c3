package dev.tally.replay.rebuild;

import dev.tally.replay.connection.LedgerDatabase;
import dev.tally.replay.events.EventTable;
import java.sql.Connection;
import java.sql.SQLException;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.serialization.Serializer;

/**
 * The events up to a fixed head position, as an Axon message source for the rebuild's processor.
 * Each stream is one read-only transaction reading through a cursor, so the whole history is never
 * in memory and the source database cannot be written to. Positions are the event table's global
 * index: a rebuild reads committed history, where a position is exact and has no gaps to wait for.
 */
final class SnapshotEventSource implements StreamableMessageSource<TrackedEventMessage<?>> {

    private final LedgerDatabase database;
    private final Serializer serializer;
    private final long headPosition;

    SnapshotEventSource(LedgerDatabase database, Serializer serializer, long headPosition) {
        this.database = database;
        this.serializer = serializer;
        this.headPosition = headPosition;
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken token) {
        long after = token == null ? 0 : token.position().orElse(0);
        Connection connection = database.openReadOnly();
        try {
            EventTable events = EventTable.inspect(connection);
            return new CursorEventStream(connection, events,
                    events.rangeInGlobalOrder(connection, after, headPosition), serializer);
        } catch (SQLException | RuntimeException failure) {
            CursorEventStream.closeQuietly(connection);
            throw new IllegalStateException("cannot read the events after position " + after, failure);
        }
    }

    @Override
    public TrackingToken createTailToken() {
        return null;
    }

    @Override
    public TrackingToken createHeadToken() {
        return new GlobalSequenceTrackingToken(headPosition);
    }
}
