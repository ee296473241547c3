package dev.tally.server.axon;

import dev.tally.ledger.serialization.IsoInstants;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;

/**
 * Axon's JDBC storage engine over json payload and metadata columns. The driver hands json
 * back as a driver object; reading it as text gives the serializer the JSON it wrote.
 * Timestamps are written and read in Axon's own text ({@code 2026-11-25T16:20:01.512Z}) without
 * its general formatter, which every appended and every processed event went through; the text
 * stored, and so the hash chain over it, is unchanged.
 */
class JsonEventStorageEngine extends JdbcEventStorageEngine {

    JsonEventStorageEngine(Builder builder) {
        super(builder);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected <T> T readPayload(ResultSet resultSet, String columnName) throws SQLException {
        return (T) resultSet.getString(columnName);
    }

    @Override
    protected void writeTimestamp(PreparedStatement statement, int position, Instant timestamp) throws SQLException {
        String text = IsoInstants.formatMillis(timestamp);
        if (text == null) {
            super.writeTimestamp(statement, position, timestamp);
        } else {
            statement.setString(position, text);
        }
    }

    @Override
    protected TrackedEventData<?> getTrackedEventData(ResultSet resultSet, GapAwareTrackingToken previousToken)
            throws SQLException {
        TrackedEventData<?> read = super.getTrackedEventData(resultSet, previousToken);
        if (read instanceof TrackedDomainEventData<?> tracked) {
            return new TrackedDomainEventData<>(tracked.trackingToken(),
                    ParsedTimestampEventData.of(tracked, resultSet.getString(schema().timestampColumn())));
        }
        return read;
    }

    @Override
    protected DomainEventData<?> getDomainEventData(ResultSet resultSet) throws SQLException {
        return ParsedTimestampEventData.of(super.getDomainEventData(resultSet),
                resultSet.getString(schema().timestampColumn()));
    }
}
