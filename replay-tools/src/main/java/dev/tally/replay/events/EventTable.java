package dev.tally.replay.events;

import dev.tally.ledger.serialization.IsoInstants;
import dev.tally.replay.ToolFailure;
import dev.tally.replay.connection.LedgerDatabase;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import org.axonframework.common.DateTimeUtils;

/**
 * Axon's event table, {@code events.domain_event_entry}, read in ledger order through a cursor.
 * The hash chain columns are read when the table has them, so the tools work on ledgers from
 * before and after they were added.
 */
public final class EventTable {

    static final String SCHEMA = "events";
    static final String TABLE = "domain_event_entry";
    static final String QUALIFIED = SCHEMA + "." + TABLE;

    private final boolean hasHashChain;

    private EventTable(boolean hasHashChain) {
        this.hasHashChain = hasHashChain;
    }

    /** Looks the table's columns up once per connection. */
    public static EventTable inspect(Connection connection) throws SQLException {
        Set<String> columns = new HashSet<>();
        DatabaseMetaData catalog = connection.getMetaData();
        try (ResultSet rows = catalog.getColumns(null, SCHEMA, TABLE, null)) {
            while (rows.next()) {
                columns.add(rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        if (columns.isEmpty()) {
            throw new ToolFailure("no table " + QUALIFIED + " in this database: is it a Tally ledger?");
        }
        return new EventTable(columns.contains("hash") && columns.contains("prevhash"));
    }

    public boolean hasHashChain() {
        return hasHashChain;
    }

    /** The same table read without the hash links, for tools that do not check the chain (their bytes are half a row). */
    public EventTable withoutHashChain() {
        return new EventTable(false);
    }

    /** Every event of {@code aggregate} in sequence order; returns how many there were. */
    public long forEachOfAggregate(Connection connection, String aggregate, Consumer<StoredEvent> action)
            throws SQLException {
        String sql = select() + " WHERE aggregateIdentifier = ? ORDER BY sequenceNumber";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setFetchSize(LedgerDatabase.FETCH_SIZE_ROWS);
            statement.setString(1, aggregate);
            return forEachRow(statement, action);
        }
    }

    public boolean hasAggregate(Connection connection, String aggregate) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM " + QUALIFIED + " WHERE aggregateIdentifier = ? LIMIT 1")) {
            statement.setString(1, aggregate);
            try (ResultSet row = statement.executeQuery()) {
                return row.next();
            }
        }
    }

    /** A statement over the events after {@code afterPosition} up to {@code upToPosition}, in global order. */
    public PreparedStatement rangeInGlobalOrder(Connection connection, long afterPosition, long upToPosition)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(
                select() + " WHERE globalIndex > ? AND globalIndex <= ? ORDER BY globalIndex");
        statement.setFetchSize(LedgerDatabase.FETCH_SIZE_ROWS);
        statement.setLong(1, afterPosition);
        statement.setLong(2, upToPosition);
        return statement;
    }

    /** The highest global position, 0 for an empty ledger. */
    public long headPosition(Connection connection) throws SQLException {
        return queryLong(connection, "SELECT coalesce(max(globalIndex), 0) FROM " + QUALIFIED);
    }


    public long firstPosition(Connection connection) throws SQLException {
        return queryLong(connection, "SELECT coalesce(min(globalIndex), 0) FROM " + QUALIFIED);
    }

    public StoredEvent read(ResultSet row) throws SQLException {
        String timestamp = row.getString(10);
        Instant canonical = IsoInstants.parseCanonical(timestamp);
        return new StoredEvent(row.getLong(1), row.getString(2), row.getLong(3), row.getString(4), row.getString(5),
                canonical != null ? canonical : DateTimeUtils.parseInstant(timestamp), timestamp, row.getString(9), row.getString(8),
                row.getString(7), row.getString(6), hasHashChain ? row.getBytes(11) : null,
                hasHashChain ? row.getBytes(12) : null);
    }

    private String select() {
        // json columns cast to text: the driver then hands over exactly the JSON the server wrote.
        return "SELECT globalIndex, aggregateIdentifier, sequenceNumber, type, eventIdentifier, metaData::text,"
                + " payload::text, payloadRevision, payloadType, timeStamp"
                + (hasHashChain ? ", hash, prevHash" : "") + " FROM " + QUALIFIED;
    }

    private long forEachRow(PreparedStatement statement, Consumer<StoredEvent> action) throws SQLException {
        long count = 0;
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                action.accept(read(rows));
                count++;
            }
        }
        return count;
    }

    private static long queryLong(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }
}
