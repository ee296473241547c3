package dev.tally.server.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** What the event store holds, counted in SQL, for tests that check a refusal wrote nothing. */
public final class StoredEvents {

    private StoredEvents() {
    }

    /** How many events the stream of {@code aggregateId} holds (an account's, a plan's {@code plan/<id>}). */
    public static int of(String aggregateId) throws SQLException {
        try (Connection connection = TestDatabase.get().ownerConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT count(*) FROM events.domain_event_entry WHERE aggregateIdentifier = ?")) {
            statement.setString(1, aggregateId);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
