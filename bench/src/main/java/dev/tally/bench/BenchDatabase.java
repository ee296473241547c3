package dev.tally.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

// Why: one PostgreSQL, configured durably like production (fsync, synchronous commit), so that server and baseline are measured on the same disk and settings.
final class BenchDatabase implements AutoCloseable {

    static final String DATABASE = "tally";
    static final String SUPERUSER = "postgres";
    static final String APPLICATION_ROLE = "tally_app";

    private final EmbeddedPostgres postgres;
    private final Path dataDir;

    private BenchDatabase(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
    }

    static BenchDatabase start() throws IOException, SQLException {
        return start(Files.createTempDirectory("tally-bench-pg-"), true);
    }

    /**
     * A PostgreSQL whose data is kept in {@code dataDir} after it stops: an existing cluster there is
     * started as it is, so that a generated ledger can be measured again; {@code fresh} empties it first.
     */
    static BenchDatabase startKept(Path dataDir, boolean fresh) throws IOException, SQLException {
        if (fresh) {
            ServerProcess.deleteRecursively(dataDir);
        }
        return start(dataDir, false);
    }

    private static BenchDatabase start(Path dataDir, boolean deleteOnClose) throws IOException, SQLException {
        boolean existing = Files.exists(dataDir.resolve("PG_VERSION"));
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(deleteOnClose)
                .setPGStartupWait(Duration.ofSeconds(120))
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("max_connections", "200")
                .start();
        BenchDatabase database = new BenchDatabase(postgres, dataDir);
        if (existing) {
            return database;
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + DATABASE);
            statement.execute("CREATE ROLE " + APPLICATION_ROLE
                    + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '" + APPLICATION_ROLE + "'");
        } catch (SQLException e) {
            database.close();
            throw e;
        }
        return database;
    }

    int port() {
        return postgres.getPort();
    }

    Path dataDir() {
        return dataDir;
    }

    /** The URL the server gets (it adds its own driver properties). */
    String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** Another empty database on the same PostgreSQL, so that runs compared with each other start alike. */
    void createDatabase(String database) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
    }

    /** A superuser connection to {@code database}, with the same driver properties as the server's pool. */
    Connection superuserConnection(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database) + "?user=" + SUPERUSER
                + "&stringtype=unspecified&reWriteBatchedInserts=true");
    }

    /** A superuser connection to the ledger database, with the same driver properties as the server's pool. */
    Connection superuserConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl() + "?user=" + SUPERUSER
                + "&stringtype=unspecified&reWriteBatchedInserts=true");
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            System.err.println("could not stop the embedded PostgreSQL: " + e);
        }
    }
}
