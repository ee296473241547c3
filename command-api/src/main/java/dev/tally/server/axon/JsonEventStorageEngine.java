package dev.tally.server.axon;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;

/**
 * Axon's JDBC storage engine over json payload and metadata columns. The driver hands json
 * back as a driver object; reading it as text gives the serializer the JSON it wrote.
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
}
