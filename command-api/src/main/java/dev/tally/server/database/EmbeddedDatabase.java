package dev.tally.server.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: a real PostgreSQL on 127.0.0.1 whose data survives restarts. The
 * embedded builder turns synchronous commit off by default; it is switched back on (with fsync)
 * because an acknowledged command must survive a crash.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String DATABASE = "tally";
    public static final String SUPERUSER = "postgres";
    public static final String APPLICATION_ROLE = "tally_app";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static EmbeddedDatabase start(Path dataDir, int port) {
        Path pgdata = dataDir.resolve("pgdata").toAbsolutePath();
        try {
            Files.createDirectories(dataDir);
            boolean existing = Files.exists(pgdata.resolve("PG_VERSION"));
            OrphanedPostgres.stopIfRunning(pgdata);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(pgdata)
                    .setCleanDataDirectory(false)
                    // Spring closes the database after everything that uses it; the library's own JVM hook
                    // would stop it in parallel with the graceful shutdown, before processors release claims.
                    .setRegisterShutdownHook(false)
                    .setPort(port)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "200")
                    .start();
            EmbeddedDatabase database = new EmbeddedDatabase(postgres);
            database.prepare();
            log.info("embedded PostgreSQL {} on 127.0.0.1:{}, data in {}", existing ? "reopened" : "created",
                    postgres.getPort(), pgdata);
            return database;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + pgdata, e);
        }
    }

    /** Creates the ledger database and the application's non-superuser role once. */
    private void prepare() {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            try (ResultSet exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (!exists.next()) {
                    statement.execute("CREATE DATABASE " + DATABASE);
                }
            }
            try (ResultSet exists = statement.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + APPLICATION_ROLE + "'")) {
                if (!exists.next()) {
                    statement.execute("CREATE ROLE " + APPLICATION_ROLE
                            + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '" + APPLICATION_ROLE + "'");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the embedded PostgreSQL", e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
