package dev.tally.server.faults;

import dev.tally.server.testing.Api;
import dev.tally.server.testing.Eventually;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The whole server as a separate JVM, as an operator runs it: configured only through environment
 * variables, its output in a log file under {@code target/fault-logs}, and stoppable by SIGTERM or SIGKILL.
 */
final class ServerProcess implements AutoCloseable {

    static final Duration READY_WAIT_MAX = Duration.ofSeconds(60);
    static final Duration STOP_WAIT_MAX = Duration.ofSeconds(40);
    private static final int LOG_TAIL_CHARS = 6000;

    /** What the child needs to reach its database: the application's role and the schema owner. */
    record Database(String url, String user, String password, String migrationUser, String migrationPassword) {
    }

    private final Process process;
    private final int port;
    private final Path log;
    private final Api api;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.api = new Api("http://127.0.0.1:" + port);
    }

    static ServerProcess start(Database database, String adminKey, String name) {
        return start(database, adminKey, name, Map.of());
    }

    /**
     * As {@link #start(Database, String, String)}, with further {@code TALLY_*} settings that override the
     * defaults above (for instance {@code TALLY_ROLES}, {@code TALLY_DATA_DIR}, {@code TALLY_WAREHOUSE_ENABLED}).
     */
    static ServerProcess start(Database database, String adminKey, String name, Map<String, String> settings) {
        int port = freePort();
        try {
            Path logs = Files.createDirectories(Path.of("target", "fault-logs"));
            Path log = logs.resolve(name + "-" + port + ".log");
            ProcessBuilder builder = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-Daxoniq.update-checker.disabled=true",
                    "-cp", System.getProperty("java.class.path"),
                    "dev.tally.server.TallyServer"));
            Map<String, String> environment = builder.environment();
            environment.keySet().removeIf(variable -> variable.startsWith("TALLY_"));
            environment.put("TALLY_DB_URL", database.url());
            environment.put("TALLY_DB_USER", database.user());
            environment.put("TALLY_DB_PASSWORD", database.password());
            // The spelling the README documents; Spring binds it to tally.db.migration-user (legacy env form).
            environment.put("TALLY_DB_MIGRATION_USER", database.migrationUser());
            environment.put("TALLY_DB_MIGRATION_PASSWORD", database.migrationPassword());
            environment.put("TALLY_PORT", Integer.toString(port));
            environment.put("TALLY_BOOTSTRAP_ADMIN_KEY", adminKey);
            // These servers share the test database with other tests, which expect only the projections' processor there.
            environment.put("TALLY_WAREHOUSE_ENABLED", "false");
            environment.putAll(settings);
            builder.directory(logs.toFile());
            builder.redirectErrorStream(true);
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            return new ServerProcess(builder.start(), port, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the server process", e);
        }
    }

    /**
     * The packaged {@code tally.jar} exactly as the README runs it: no database configured, so it
     * starts its embedded PostgreSQL with data under {@code dataDir}.
     */
    static ServerProcess startPackaged(Path jar, Path dataDir, int embeddedDatabasePort, String adminKey, String name) {
        int port = freePort();
        try {
            Path logs = Files.createDirectories(Path.of("target", "fault-logs"));
            Path log = logs.resolve(name + "-" + port + ".log");
            ProcessBuilder builder = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-Daxoniq.update-checker.disabled=true", "-jar", jar.toAbsolutePath().toString()));
            Map<String, String> environment = builder.environment();
            environment.keySet().removeIf(variable -> variable.startsWith("TALLY_"));
            environment.put("TALLY_DATA_DIR", dataDir.toAbsolutePath().toString());
            environment.put("TALLY_EMBEDDED_DB_PORT", Integer.toString(embeddedDatabasePort));
            environment.put("TALLY_PORT", Integer.toString(port));
            environment.put("TALLY_BOOTSTRAP_ADMIN_KEY", adminKey);
            builder.redirectErrorStream(true);
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            return new ServerProcess(builder.start(), port, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the packaged server", e);
        }
    }

    static int freeTcpPort() {
        return freePort();
    }

    /** Waits until the readiness probe answers UP; fails with the log's tail if the process dies or takes too long. */
    ServerProcess awaitReady() {
        Eventually.awaitTrue("the server ready", READY_WAIT_MAX, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("the server exited with " + process.exitValue() + " before it was ready:\n"
                        + logTail());
            }
            try {
                return api.get("/actuator/health/readiness", null).status() == 200;
            } catch (IllegalStateException notListeningYet) {
                // Connection refused: the server is still starting.
                return false;
            }
        }, () -> "\n" + logTail());
        return this;
    }

    Api api() {
        return api;
    }

    long pid() {
        return process.pid();
    }

    /** SIGTERM: Spring's graceful shutdown finishes the requests in flight. Returns the exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        return awaitExit();
    }

    /** SIGKILL: the process dies at once, whatever it was doing. Returns the exit code. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        return awaitExit();
    }

    private int awaitExit() throws InterruptedException {
        if (!process.waitFor(STOP_WAIT_MAX.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the server did not stop within " + STOP_WAIT_MAX + ":\n" + logTail());
        }
        return process.exitValue();
    }

    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    String logTail() {
        String text = logText();
        return "log " + log.toAbsolutePath() + ":\n" + text.substring(Math.max(0, text.length() - LOG_TAIL_CHARS));
    }

    /** Never leaves a server behind, whatever the test did. */
    @Override
    /** Stops the server gracefully (so that an embedded PostgreSQL stops with it), forcibly if it hangs. */
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(STOP_WAIT_MAX.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_WAIT_MAX.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
