package dev.tally.server.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.server.testing.Api;
import dev.tally.server.testing.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

// Goal: the README's first command works as written: the packaged jar on the embedded PostgreSQL keeps its data
// across restarts, listens for psql on 127.0.0.1, and connects as a role that cannot change events.
class PackagedServerIT {

    private static final String KEY = "packaged-admin-key";
    /** As many usage events in one command as the account's default snapshot threshold (1000), the most a batch holds. */
    private static final int SNAPSHOT_BATCH = 1000;
    private static final java.time.Duration SNAPSHOT_WAIT_MAX = java.time.Duration.ofSeconds(30);
    private ServerProcess server;
    private Path dataDir;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        // Should the test fail between its SIGKILL and the next start, no PostgreSQL may outlive it.
        Path pidFile = dataDir == null ? null : dataDir.resolve("pgdata").resolve("postmaster.pid");
        if (pidFile != null && Files.exists(pidFile)) {
            ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim())).ifPresent(ProcessHandle::destroy);
        }
    }

    @Test
    void packagedJarRunsOnTheEmbeddedDatabaseAndKeepsItsData() throws Exception {
        Path jar = Path.of("target", "tally.jar");
        assertThat(jar).as("built by mvn package before the integration tests").exists();
        dataDir = Files.createTempDirectory("tally-packaged");
        int databasePort = ServerProcess.freeTcpPort();

        server = ServerProcess.startPackaged(jar, dataDir, databasePort, KEY, "packaged-first").awaitReady();
        Api api = server.api();
        assertThat(api.post("/v1/plans", KEY, """
                {"planId":"p","currency":"USD","effectiveFrom":"2026-01-01T00:00:00Z",
                 "prices":[{"meter":"gpu_seconds","model":"per_unit","unitPrice":"0.25"}]}""").status()).isEqualTo(201);
        assertThat(api.post("/v1/accounts", KEY, """
                {"accountId":"acme","currency":"USD","planId":"p","billingStart":"2026-01-01T00:00:00Z"}""").status())
                .isEqualTo(201);
        Instant when = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        Api.Response usage = api.post("/v1/usage", KEY, """
                {"events":[{"idempotencyKey":"u1","accountId":"acme","meter":"gpu_seconds","quantity":"10","timestamp":"%s"}]}"""
                .formatted(when));
        assertThat(usage.body().get("results").get(0).get("status").asText()).isEqualTo("accepted");
        assertThat(server.terminate()).isEqualTo(143);
        assertThat(dataDir.resolve("pgdata").resolve("PG_VERSION")).exists();

        server = ServerProcess.startPackaged(jar, dataDir, databasePort, KEY, "packaged-second").awaitReady();
        Api.Response balance = server.api().get("/v1/accounts/acme/balance?minPosition=" + usage.position(), KEY);
        assertThat(balance.status()).as(balance.raw().body()).isEqualTo(200);
        assertThat(balance.body().get("unbilled").asText()).isEqualTo("2.50");
        Api.Response retry = server.api().post("/v1/usage", KEY, """
                {"events":[{"idempotencyKey":"u1","accountId":"acme","meter":"gpu_seconds","quantity":"10","timestamp":"%s"}]}"""
                .formatted(when));
        assertThat(retry.body().get("results").get(0).get("status").asText()).isEqualTo("duplicate");

        // A SIGKILL leaves the embedded PostgreSQL behind; the next start stops it and opens the same data.
        assertThat(server.kill()).isEqualTo(137);
        server = ServerProcess.startPackaged(jar, dataDir, databasePort, KEY, "packaged-third").awaitReady();
        Api.Response afterKill = server.api().post("/v1/usage", KEY, """
                {"events":[{"idempotencyKey":"u1","accountId":"acme","meter":"gpu_seconds","quantity":"10","timestamp":"%s"}]}"""
                .formatted(when));
        assertThat(afterKill.body().get("results").get(0).get("status").asText()).isEqualTo("duplicate");

        // A busy account is snapshotted by the packaged jar too (its snapshotter once could not be built there).
        StringBuilder busy = new StringBuilder("{\"events\":[");
        for (int i = 0; i < SNAPSHOT_BATCH; i++) {
            busy.append(i == 0 ? "" : ",").append("""
                    {"idempotencyKey":"s%d","accountId":"acme","meter":"gpu_seconds","quantity":"1","timestamp":"%s"}"""
                    .formatted(i, when));
        }
        assertThat(server.api().post("/v1/usage", KEY, busy.append("]}").toString()).status()).isEqualTo(200);

        String url = "jdbc:postgresql://127.0.0.1:" + databasePort + "/tally";
        try (Connection superuser = DriverManager.getConnection(url, "postgres", "");
             Statement statement = superuser.createStatement()) {
            Eventually.awaitTrue("acme snapshotted", SNAPSHOT_WAIT_MAX, () -> {
                try (var snapshots = statement.executeQuery(
                        "SELECT count(*) FROM events.snapshot_event_entry WHERE aggregateIdentifier = 'acme'")) {
                    snapshots.next();
                    return snapshots.getLong(1) == 1;
                }
            });
        }
        try (Connection app = DriverManager.getConnection(url, "tally_app", "tally_app");
             Statement statement = app.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate("UPDATE events.domain_event_entry SET type = 'x'"))
                    .isInstanceOf(SQLException.class);
        }
        try (Connection superuser = DriverManager.getConnection(url, "postgres", "");
             Statement statement = superuser.createStatement();
             var settings = statement.executeQuery(
                     "SELECT current_setting('synchronous_commit'), current_setting('fsync')")) {
            settings.next();
            assertThat(settings.getString(1)).isEqualTo("on");
            assertThat(settings.getString(2)).isEqualTo("on");
        }
    }
}
