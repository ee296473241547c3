package dev.tally.replay.rebuild;

import dev.tally.replay.events.EventTable;
import dev.tally.replay.events.StoredEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.EventUtils;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.NoOpEventUpcaster;

/**
 * Events from an open cursor, one at a time, as Axon tracked messages whose payloads are
 * deserialized lazily, by Axon's own event-entry classes (as its JDBC storage engine does). The
 * stream ends at the snapshot's head: there is nothing to wait for, so it never blocks.
 */
final class CursorEventStream implements BlockingStream<TrackedEventMessage<?>> {

    private final Connection connection;
    private final EventTable events;
    private final PreparedStatement statement;
    private final ResultSet rows;
    private final Serializer serializer;
    private TrackedEventMessage<?> next;
    private boolean exhausted;

    CursorEventStream(Connection connection, EventTable events, PreparedStatement statement, Serializer serializer)
            throws SQLException {
        this.connection = connection;
        this.events = events;
        this.statement = statement;
        this.rows = statement.executeQuery();
        this.serializer = serializer;
    }

    @Override
    public Optional<TrackedEventMessage<?>> peek() {
        return Optional.ofNullable(advance());
    }

    @Override
    public boolean hasNextAvailable(int timeout, TimeUnit unit) {
        return advance() != null;
    }

    @Override
    public TrackedEventMessage<?> nextAvailable() {
        TrackedEventMessage<?> message = advance();
        if (message == null) {
            throw new IllegalStateException("no event after the snapshot's head");
        }
        next = null;
        return message;
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }

    private TrackedEventMessage<?> advance() {
        if (next != null || exhausted) {
            return next;
        }
        try {
            if (rows.next()) {
                next = message(events.read(rows));
            } else {
                exhausted = true;
                // The snapshot is read: end the read-only transaction now rather than when Axon closes the stream.
                rows.close();
                statement.close();
                connection.commit();
            }
        } catch (SQLException failure) {
            throw new IllegalStateException("reading the events failed", failure);
        }
        return next;
    }

    private TrackedEventMessage<?> message(StoredEvent event) {
        TrackedDomainEventData<String> data = new TrackedDomainEventData<>(
                new GlobalSequenceTrackingToken(event.position()),
                new GenericDomainEventEntry<>(event.aggregateType(), event.aggregate(), event.sequence(), event.eventId(),
                        event.timestampText(), event.payloadType(), event.payloadRevision(), event.payloadJson(),
                        event.metadataJson()));
        try (Stream<TrackedEventMessage<?>> messages = EventUtils.upcastAndDeserializeTrackedEvents(Stream.of(data),
                serializer, NoOpEventUpcaster.INSTANCE)) {
            return messages.findFirst().orElseThrow();
        }
    }

    static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // A read-only snapshot: nothing to lose if closing it fails.
        }
    }
}
