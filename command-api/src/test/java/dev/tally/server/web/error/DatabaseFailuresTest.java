package dev.tally.server.web.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;
import org.axonframework.common.jdbc.JdbcException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.junit.jupiter.api.Test;

// Goal: every way a lost database reaches a request is told from a fault of the ledger, however deeply it is wrapped.
class DatabaseFailuresTest {

    @Test
    void aLostDatabaseIsUnavailableAtAnyDepth() {
        assertThat(DatabaseFailures.isUnavailable(new CannotGetJdbcConnectionException("pool"))).isTrue();
        assertThat(DatabaseFailures.isUnavailable(new SQLTransientConnectionException("timeout"))).isTrue();
        assertThat(DatabaseFailures.isUnavailable(new SQLException("I/O error", "08006"))).isTrue();
        assertThat(DatabaseFailures.isUnavailable(new SQLException("shutting down", "57P01"))).isTrue();
        assertThat(DatabaseFailures.isUnavailable(new RuntimeException(new ConnectException("refused")))).isTrue();
        // As seen after a SIGKILL of PostgreSQL: Axon's wrapper around HikariCP's evicted connection.
        assertThat(DatabaseFailures.isUnavailable(new CompletionException(new JdbcException(
                "Failed to create a SQL statement", new SQLException("Connection is closed"))))).isTrue();
    }

    @Test
    void aFaultOfTheLedgerIsNot() {
        assertThat(DatabaseFailures.isUnavailable(new IllegalStateException("bug"))).isFalse();
        assertThat(DatabaseFailures.isUnavailable(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(DatabaseFailures.isUnavailable(new SQLException("syntax error", "42601"))).isFalse();
        assertThat(DatabaseFailures.isUnavailable(new SQLException("Connection is closed", "42000"))).isFalse();
    }
}
