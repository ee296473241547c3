package dev.tally.server.web.error;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * Tells a database that cannot be reached from a fault of the ledger. The first is the client's
 * cue to retry (503 with Retry-After): the request either committed nothing or, under an
 * idempotency key, will be answered as the first time when retried. Axon and Spring wrap the
 * driver's exception at different depths, so the whole cause chain is read.
 */
public final class DatabaseFailures {

    /** SQLSTATE class 08 is "connection exception"; 57P01 to 57P03 are shutdowns and "cannot connect now". */
    private static final String CONNECTION_EXCEPTION_CLASS = "08";
    private static final String OPERATOR_INTERVENTION_PREFIX = "57P0";
    /**
     * HikariCP's answer, without an SQLSTATE, when a statement is made on a pooled connection it
     * already evicted: it evicts one as soon as the driver reports the connection broken, so within a
     * transaction the next statement meets this after a database outage.
     */
    private static final String POOLED_CONNECTION_CLOSED = "Connection is closed";
    /** Causes followed at most, so that a cyclic chain cannot loop. */
    private static final int MAX_CAUSES = 32;

    private DatabaseFailures() {
    }

    public static boolean isUnavailable(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_CAUSES; depth++) {
            if (current instanceof DataAccessResourceFailureException
                    || current instanceof SQLTransientConnectionException
                    || current instanceof SQLNonTransientConnectionException
                    || current instanceof java.net.ConnectException) {
                return true;
            }
            if (current instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith(CONNECTION_EXCEPTION_CLASS)
                    || sql.getSQLState().startsWith(OPERATOR_INTERVENTION_PREFIX))) {
                return true;
            }
            if (current instanceof SQLException sql && sql.getSQLState() == null
                    && POOLED_CONNECTION_CLOSED.equals(sql.getMessage())) {
                return true;
            }
            current = current.getCause() == current ? null : current.getCause();
        }
        return false;
    }
}
