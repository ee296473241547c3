package dev.tally.replay.connection;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tally.replay.ToolFailure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Connections to the ledger database. Reading is always a read-only, repeatable-read transaction,
 * so a tool sees one consistent snapshot and cannot change anything even by mistake; writing
 * (the rebuild's shadow schema) uses a separate pool.
 */
public final class LedgerDatabase {

    static final int CONNECT_TIMEOUT_SECONDS = 10;
    /** Rows the driver fetches per round trip; with autocommit off it streams through a cursor instead of loading all. */
    public static final int FETCH_SIZE_ROWS = 2_000;
    private static final String APPLICATION_NAME = "tally-replay";

    private final String url;
    private final String user;
    private final String password;

    public LedgerDatabase(String url, String user, String password) {
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new ToolFailure("--db-url must be a jdbc:postgresql: URL, got " + url);
        }
        this.url = url;
        this.user = user;
        this.password = password;
    }

    public String url() {
        return url;
    }

    /** A read-only transaction: autocommit off (so result sets stream), repeatable read (one snapshot). */
    public Connection openReadOnly() {
        Properties properties = connectionProperties();
        // Refused by the server even outside an explicit transaction, whatever statement a bug might send.
        properties.setProperty("readOnly", "true");
        properties.setProperty("readOnlyMode", "always");
        try {
            Connection connection = DriverManager.getConnection(url, properties);
            try {
                connection.setReadOnly(true);
                connection.setAutoCommit(false);
                connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                return connection;
            } catch (SQLException failure) {
                connection.close();
                throw failure;
            }
        } catch (SQLException failure) {
            throw unreachable(failure);
        }
    }

    /**
     * A small pool for writing the shadow schema; the caller closes it. Commits do not wait for the
     * disk: what is written is a disposable copy that a crash would only make the user rebuild.
     */
    public HikariDataSource openWritePool(String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(CONNECT_TIMEOUT_SECONDS * 1000L);
        config.setInitializationFailTimeout(-1);
        config.setConnectionInitSql("SET synchronous_commit = off");
        // As the server's pool: untyped strings, batched inserts rewritten into multi-row statements.
        config.addDataSourceProperty("stringtype", "unspecified");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
        return new HikariDataSource(config);
    }

    /**
     * Connections for bookkeeping that must survive a crash (the warehouse backfill's exported-event
     * ledger): commits wait for the disk, one connection per transaction, no pool to close.
     */
    public DataSource durableWrites() {
        DriverManagerDataSource source = new DriverManagerDataSource(url);
        source.setConnectionProperties(connectionProperties());
        return source;
    }

    private Properties connectionProperties() {
        Properties properties = new Properties();
        if (user != null && !user.isEmpty()) {
            properties.setProperty("user", user);
        }
        if (password != null && !password.isEmpty()) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        return properties;
    }

    private ToolFailure unreachable(SQLException failure) {
        return new ToolFailure("cannot connect to " + url + " as " + user + ": " + failure.getMessage(), failure);
    }
}
