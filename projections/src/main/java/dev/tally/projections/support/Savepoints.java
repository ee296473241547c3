package dev.tally.projections.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;

/**
 * Runs a projection's writes so that a refusal by PostgreSQL can be undone on its own: the
 * transaction of the processor's batch stays usable (PostgreSQL aborts a whole transaction at the
 * first failed statement otherwise), so the batch can go on or the dead-letter queue can record
 * the event in it.
 */
final class Savepoints {

    private final DataSource dataSource;

    Savepoints(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Runs {@code writes}; when they fail, whatever they wrote is undone and the failure rethrown.
     * Outside a transaction there is nothing to keep usable, and the writes simply run.
     */
    void run(Runnable writes) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            if (connection.getAutoCommit()) {
                writes.run();
                return;
            }
            Savepoint before = connection.setSavepoint();
            try {
                writes.run();
            } catch (RuntimeException failure) {
                connection.rollback(before);
                throw failure;
            }
            connection.releaseSavepoint(before);
        } catch (SQLException failure) {
            throw new SQLStateSQLExceptionTranslator().translate("savepoint", null, failure);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }
}
