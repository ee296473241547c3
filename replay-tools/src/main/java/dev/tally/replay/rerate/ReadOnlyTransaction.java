package dev.tally.replay.rerate;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Runs the reads of one rerate in a single read-only, repeatable-read transaction: the database
 * itself guarantees the tool writes nothing, and the account's stream and the plans are read from
 * one snapshot even while the server keeps appending. It is rolled back, never committed.
 */
final class ReadOnlyTransaction {

    interface Work<T> {
        T run() throws SQLException;
    }

    private ReadOnlyTransaction() {
    }

    static <T> T run(Connection connection, Work<T> work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        // PostgreSQL only streams a result set through a cursor inside a transaction.
        connection.setAutoCommit(false);
        try {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            }
            return work.run();
        } finally {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
    }
}
