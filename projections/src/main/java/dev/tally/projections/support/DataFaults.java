package dev.tally.projections.support;

import java.sql.SQLException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.TransientDataAccessException;

/**
 * Tells a failure that the same event would meet again on every attempt from one that may pass on
 * a retry. Only the first kind may dead-letter an event: a lost connection or a deadlock must not
 * stall an account, so the processor retries its batch for those, as before.
 */
final class DataFaults {

    /** PostgreSQL's SQLSTATE classes of faults in the data itself: data exception, integrity violation. */
    private static final String DATA_EXCEPTION_CLASS = "22";
    private static final String INTEGRITY_VIOLATION_CLASS = "23";

    private DataFaults() {
    }

    /**
     * True when {@code failure} comes from the data: PostgreSQL refused a value or a row (SQLSTATE
     * class 22 or 23), or the projection's own code failed on it without touching the database.
     */
    static boolean isInTheData(Throwable failure) {
        boolean sawDatabase = false;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState().startsWith(DATA_EXCEPTION_CLASS)
                        || sql.getSQLState().startsWith(INTEGRITY_VIOLATION_CLASS);
            }
            if (cause instanceof TransientDataAccessException) {
                return false;
            }
            sawDatabase |= cause instanceof DataAccessException || cause instanceof SQLException;
            if (cause.getCause() == cause) {
                break;
            }
        }
        return !sawDatabase;
    }

    /** The first line of the deepest message, for a dead letter's cause. */
    static String describe(Throwable failure) {
        Throwable deepest = failure;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
        }
        String message = deepest.getMessage() == null ? deepest.getClass().getSimpleName() : deepest.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
