package dev.tally.server.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real PostgreSQL every test runs against, started once per test JVM: the server named by
 * {@code TALLY_TEST_DB_URL} where set, else a Testcontainers PostgreSQL where a Docker engine
 * answers, else an embedded PostgreSQL (zonky). Never a stand-in database.
 */
public final class TestDatabase {

    public static final String APPLICATION_ROLE = "tally_app";

    /** How to reach it: the schema owner (migrations, tampering tests) and the application's role. */
    public record Endpoint(String url, String ownerUser, String ownerPassword, String appUser, String appPassword) {

        public Connection ownerConnection() throws SQLException {
            return DriverManager.getConnection(url, ownerUser, ownerPassword);
        }

        public Connection appConnection() throws SQLException {
            return DriverManager.getConnection(url, appUser, appPassword);
        }
    }

    private static Endpoint endpoint;

    private TestDatabase() {
    }

    public static synchronized Endpoint get() {
        if (endpoint == null) {
            endpoint = start();
        }
        return endpoint;
    }

    /**
     * A new, empty database named {@code name} on the same PostgreSQL (dropped first if a previous
     * run left it), for tests whose servers must not see other tests' accounts. The owner needs
     * the CREATEDB privilege.
     */
    public static Endpoint fresh(String name) {
        Endpoint shared = get();
        try (Connection connection = shared.ownerConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the test database " + name, e);
        }
        String url = shared.url().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
        return new Endpoint(url, shared.ownerUser(), shared.ownerPassword(), shared.appUser(), shared.appPassword());
    }

    private static Endpoint start() {
        String url = System.getenv("TALLY_TEST_DB_URL");
        if (url != null && !url.isBlank()) {
            String user = System.getenv().getOrDefault("TALLY_TEST_DB_USER", "postgres");
            String password = System.getenv().getOrDefault("TALLY_TEST_DB_PASSWORD", "");
            return withApplicationRole(new Endpoint(url, user, password, user, password));
        }
        if (dockerAnswers()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:18-alpine").withDatabaseName("tally");
            container.start();
            return withApplicationRole(new Endpoint(container.getJdbcUrl(), container.getUsername(),
                    container.getPassword(), null, null));
        }
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "300")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // The JVM is exiting; the temporary data directory goes with it.
                }
            }));
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE tally");
            }
            String jdbcUrl = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/tally";
            return withApplicationRole(new Endpoint(jdbcUrl, "postgres", "", null, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates the non-superuser application role the server connects as, like the embedded default. */
    public static Endpoint withApplicationRole(Endpoint owner) {
        try (Connection connection = owner.ownerConnection(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    DO $$ BEGIN
                      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tally_app') THEN
                        CREATE ROLE tally_app LOGIN NOSUPERUSER PASSWORD 'tally_app';
                      END IF;
                    END $$""");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the application role", e);
        }
        return new Endpoint(owner.url(), owner.ownerUser(), owner.ownerPassword(), APPLICATION_ROLE, APPLICATION_ROLE);
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError unavailable) {
            return false;
        }
    }
}
