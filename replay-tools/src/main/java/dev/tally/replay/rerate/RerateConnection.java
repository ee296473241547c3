package dev.tally.replay.rerate;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Where the ledger's PostgreSQL is: options, else the server's own environment variables, else the
 * embedded database's defaults.
 *
 * <p>MERGE NOTE: a stand-in for the replay tools' shared connection mixin; replace it with that
 * mixin when both branches meet.
 */
public class RerateConnection {

    /** Names the tool's sessions in {@code pg_stat_activity}. */
    static final String APPLICATION_NAME = "tally-replay rerate";

    @Option(names = "--db-url", paramLabel = "JDBC_URL",
            defaultValue = "${env:TALLY_DB_URL:-jdbc:postgresql://127.0.0.1:5433/tally}",
            description = "The ledger's database (default: env TALLY_DB_URL, else ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--db-user", paramLabel = "USER", defaultValue = "${env:TALLY_DB_USER:-postgres}",
            description = "Database user (default: env TALLY_DB_USER, else ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--db-password", paramLabel = "PASSWORD", defaultValue = "${env:TALLY_DB_PASSWORD:-}",
            description = "Database password (default: env TALLY_DB_PASSWORD, which keeps it out of the process list).")
    String password;

    Connection open() {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password == null ? "" : password);
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        try {
            return DriverManager.getConnection(url, properties);
        } catch (SQLException e) {
            throw new RerateRefused("cannot connect to " + url + " as " + user + ": " + e.getMessage(), e);
        }
    }
}
