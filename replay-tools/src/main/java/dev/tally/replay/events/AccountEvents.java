package dev.tally.replay.events;

import dev.tally.replay.ToolFailure;
import dev.tally.replay.connection.LedgerDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;

/** One account's stream, oldest first, from one read-only snapshot; an account without events is an error. */
public final class AccountEvents {

    private AccountEvents() {
    }

    /** Hands every event of {@code accountId} to {@code action}, in sequence order. */
    public static void forEach(LedgerDatabase database, String accountId, Consumer<StoredEvent> action)
            throws SQLException {
        try (Connection connection = database.openReadOnly()) {
            EventTable events = EventTable.inspect(connection);
            if (!events.hasAggregate(connection, accountId)) {
                throw new ToolFailure("unknown account " + accountId + ": the ledger holds no events for it");
            }
            events.forEachOfAggregate(connection, accountId, action);
            connection.commit();
        }
    }
}
