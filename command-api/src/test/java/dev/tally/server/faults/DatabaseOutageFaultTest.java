package dev.tally.server.faults;

import static dev.tally.server.testing.ServerTest.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.Eventually;
import dev.tally.server.testing.InProcessServer;
import dev.tally.server.testing.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Goal: when the PostgreSQL the server uses is killed under load and started again, clients see
 * 503 database_unavailable with Retry-After (never a 500 or an HTML page), the server recovers by
 * itself, a retried Idempotency-Key runs within seconds, and every acknowledged usage event is
 * stored exactly once. The PostgreSQL is this test's own, started in the build's directory, so
 * that killing it touches no other test.
 */
class DatabaseOutageFaultTest {

    private static final Duration OUTAGE = Duration.ofSeconds(4);
    private static final int CLIENTS = 2;
    private static final int EVENTS_PER_REQUEST = 5;

    /** What one client saw for one request attempt. */
    private record Answer(int status, String code, String retryAfter, String contentType) {
    }

    private final Path dataDirectory = Path.of("target", "db-outage-" + UUID.randomUUID()).toAbsolutePath();
    private final List<Answer> answers = new CopyOnWriteArrayList<>();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private EmbeddedPostgres postgres;
    private InProcessServer server;
    private int port;
    private volatile boolean stop;

    @AfterEach
    void stopEverything() throws IOException {
        stop = true;
        if (server != null) {
            server.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aKilledDatabaseIsA503WithRetryAfterAndNothingAcknowledgedIsLost() throws Exception {
        port = freePort();
        postgres = startPostgres();
        TestDatabase.Endpoint database;
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE tally");
        }
        database = TestDatabase.withApplicationRole(new TestDatabase.Endpoint(
                "jdbc:postgresql://127.0.0.1:" + port + "/tally", "postgres", "", null, null));
        server = InProcessServer.start(database, Clock.systemUTC(), Map.of("tally.invoice.scheduler-enabled", "false"));
        Api api = server.api();
        String planId = Api.unique("plan");
        String accountId = Api.unique("acct");
        assertThat(api.post("/v1/plans", ADMIN_KEY, """
                {"planId":"%s","currency":"USD","effectiveFrom":"2026-01-01T00:00:00Z","prices":[
                  {"meter":"gpu_seconds","model":"per_unit","unitPrice":"0.002"}]}""".formatted(planId)).status())
                .isEqualTo(201);
        assertThat(api.post("/v1/accounts", ADMIN_KEY, """
                {"accountId":"%s","currency":"USD","planId":"%s","billingStart":"2026-01-01T00:00:00Z"}"""
                .formatted(accountId, planId)).status()).isEqualTo(201);

        AtomicInteger requests = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int client = 0; client < CLIENTS; client++) {
            String name = "client" + client;
            Thread thread = new Thread(() -> ingest(api, accountId, name, requests), "outage-" + name);
            thread.setDaemon(true);
            thread.start();
            clients.add(thread);
        }
        Eventually.awaitTrue("usage is acknowledged before the outage", () -> acknowledged.size() >= 50);

        killPostgres();
        Eventually.awaitTrue("a client is refused while the database is down",
                () -> answers.stream().anyMatch(answer -> answer.status() == 503));
        Instant downUntil = Instant.now().plus(OUTAGE);
        Eventually.awaitTrue("the outage has lasted", () -> Instant.now().isAfter(downUntil));
        postgres.close();
        postgres = startPostgres();
        int acknowledgedAtRestart = acknowledged.size();
        Eventually.awaitTrue("usage is acknowledged again without restarting the server",
                () -> acknowledged.size() >= acknowledgedAtRestart + 50);
        stop = true;
        for (Thread client : clients) {
            client.join(Duration.ofSeconds(60).toMillis());
            assertThat(client.isAlive()).isFalse();
        }

        Map<Integer, Long> byStatus = new TreeMap<>();
        answers.forEach(answer -> byStatus.merge(answer.status(), 1L, Long::sum));
        System.out.println("DatabaseOutageFaultTest: " + requests.get() + " requests, answers by status " + byStatus);
        assertThat(byStatus.keySet()).as("statuses seen " + byStatus).isSubsetOf(200, 409, 503).contains(200, 503);
        for (Answer answer : answers) {
            if (answer.status() != 200) {
                assertThat(answer.contentType()).as(answer.toString()).startsWith("application/problem+json");
                assertThat(answer.retryAfter()).as(answer.toString()).isNotNull();
                assertThat(answer.code()).as(answer.toString())
                        .isIn("database_unavailable", "idempotency_in_progress");
            }
        }
        assertStoredExactlyOnce(database, accountId);
    }

    /**
     * A client that sends batches of new usage, half of them under an Idempotency-Key, and retries
     * each refused request with the same keys after the Retry-After it was given until it is answered.
     */
    private void ingest(Api api, String accountId, String name, AtomicInteger requests) {
        for (int batch = 0; !stop; batch++) {
            List<String> keys = new ArrayList<>();
            StringBuilder events = new StringBuilder();
            for (int i = 0; i < EVENTS_PER_REQUEST; i++) {
                String key = name + "-" + batch + "-" + i;
                keys.add(key);
                events.append(i == 0 ? "" : ",").append("""
                        {"idempotencyKey":"%s","accountId":"%s","meter":"gpu_seconds","quantity":"1","timestamp":"%s"}"""
                        .formatted(key, accountId, Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS)));
            }
            String body = "{\"events\":[" + events + "]}";
            String[] headers = batch % 2 == 0 ? new String[]{"Idempotency-Key", name + "-request-" + batch} : new String[0];
            while (true) {
                requests.incrementAndGet();
                Api.Response response;
                try {
                    response = api.post("/v1/usage", ADMIN_KEY, body, headers);
                } catch (IllegalStateException connectionFailed) {
                    throw new AssertionError("the server itself must stay up", connectionFailed);
                }
                answers.add(new Answer(response.status(), response.code(), response.header("Retry-After"),
                        response.contentType()));
                if (response.status() == 200) {
                    for (JsonNode result : response.body().get("results")) {
                        String status = result.get("status").asText();
                        assertThat(status).as(result.toString()).isIn("accepted", "duplicate");
                        acknowledged.add(result.get("idempotencyKey").asText());
                    }
                    break;
                }
                if (stop && response.status() >= 500) {
                    break;
                }
                pause(response.header("Retry-After"));
            }
        }
    }

    /** The client honours the server's Retry-After, as a well-behaved client does: the wait is the behaviour under test. */
    private static void pause(String retryAfter) {
        try {
            Thread.sleep(Duration.ofSeconds(retryAfter == null ? 1 : Long.parseLong(retryAfter)).toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void assertStoredExactlyOnce(TestDatabase.Endpoint database, String accountId) throws SQLException {
        Map<String, Integer> stored = new TreeMap<>();
        try (Connection connection = database.ownerConnection();
             PreparedStatement statement = connection.prepareStatement("""
                     SELECT usage ->> 'idempotencyKey', count(*) FROM events.usage_event
                     WHERE aggregateIdentifier = ? GROUP BY 1""")) {
            statement.setString(1, accountId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    stored.put(rows.getString(1), rows.getInt(2));
                }
            }
        }
        assertThat(acknowledged).isNotEmpty();
        assertThat(stored.keySet()).as("every acknowledged usage event is stored").containsAll(acknowledged);
        assertThat(stored.values()).as("no usage event is stored twice").containsOnly(1);
    }

    private EmbeddedPostgres startPostgres() throws IOException {
        Files.createDirectories(dataDirectory);
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("synchronous_commit", "on")
                .start();
    }

    /** SIGKILL to the postmaster and every backend: a crash, not a shutdown; PostgreSQL recovers from its WAL. */
    private void killPostgres() throws IOException {
        long postmaster = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
        ProcessHandle process = ProcessHandle.of(postmaster).orElseThrow();
        List<ProcessHandle> backends = process.descendants().toList();
        process.destroyForcibly();
        backends.forEach(ProcessHandle::destroyForcibly);
        Eventually.awaitTrue("PostgreSQL is gone", () -> !process.isAlive() && backends.stream().noneMatch(ProcessHandle::isAlive));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
