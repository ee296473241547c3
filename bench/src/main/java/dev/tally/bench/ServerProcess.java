package dev.tally.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

// Why: the real server jar in its own JVM, as operators run it, so that HTTP, JSON, Axon and the projections are all in the measurement; it is always killed at the end.
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final Thread shutdownHook;
    private final int port;
    private final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.shutdownHook = new Thread(this::stop, "tally-bench-server-killer");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    static ServerProcess start(Path jar, BenchDatabase database, String adminKey, Path log) throws IOException {
        return start(jar, database.jdbcUrl(), adminKey, log, Map.of());
    }

    /**
     * The server on the database at {@code jdbcUrl} (of the bench's PostgreSQL), with further
     * {@code TALLY_*} settings such as {@code TALLY_ROLES} or {@code TALLY_DATA_DIR}.
     */
    static ServerProcess start(Path jar, String jdbcUrl, String adminKey, Path log, Map<String, String> settings)
            throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no server jar at " + jar + "; build it with mvn -B -q package -DskipTests");
        }
        int port = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx4g", "-Daxoniq.update-checker.disabled=true",
                "-jar", jar.toAbsolutePath().toString(), "--server.address=127.0.0.1"));
        Map<String, String> env = builder.environment();
        env.put("TALLY_DB_URL", jdbcUrl);
        env.put("TALLY_DB_USER", BenchDatabase.APPLICATION_ROLE);
        env.put("TALLY_DB_PASSWORD", BenchDatabase.APPLICATION_ROLE);
        env.put("TALLY_DB_MIGRATION_USER", BenchDatabase.SUPERUSER);
        env.put("TALLY_DB_MIGRATION_PASSWORD", "");
        env.put("TALLY_PORT", Integer.toString(port));
        env.put("TALLY_BOOTSTRAP_ADMIN_KEY", adminKey);
        // Its own empty data directory (warehouse files): one left by an earlier run would be merged into.
        Path dataDir = log.toAbsolutePath().resolveSibling(log.getFileName() + ".data");
        deleteRecursively(dataDir);
        env.put("TALLY_DATA_DIR", dataDir.toString());
        env.putAll(settings);
        // Lets a profiling run reach the server JVM only, e.g. with a flight recording.
        String serverJavaOptions = System.getenv("TALLY_BENCH_SERVER_JAVA_OPTIONS");
        if (serverJavaOptions != null) {
            env.put("JAVA_TOOL_OPTIONS", serverJavaOptions);
        }
        Files.createDirectories(log.getParent());
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        return new ServerProcess(builder.start(), port, log);
    }

    static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    String baseUri() {
        return "http://127.0.0.1:" + port;
    }

    Path log() {
        return log;
    }

    /** Polls the readiness probe until the server answers 200, failing early if the process died. */
    void awaitReady(HttpClient http, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(baseUri() + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the server was not ready within " + timeout + "; see " + log);
    }

    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException interrupted) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
