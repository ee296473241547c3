package dev.tally.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.Eventually;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.TestDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

// Goal: a server stopped (SIGTERM) or killed (SIGKILL) mid-ingestion loses no acknowledged usage and records nothing twice after a restart.
class RestartFaultTest {

    private static final String ADMIN_KEY = "restart-admin-key";
    private static final BigDecimal GPU_SECOND_PRICE = new BigDecimal("0.002");
    private static final int EVENTS_PER_BATCH = 20;
    /** Acknowledged events before the fault, so that it strikes in the middle of a steady stream. */
    private static final int ACKNOWLEDGED_BEFORE_FAULT = 200;
    private static final Duration INGESTION_WAIT_MAX = Duration.ofSeconds(20);
    private static final Duration BALANCE_WAIT_MAX = Duration.ofSeconds(30);
    private static final Pattern DATABASE_IN_URL = Pattern.compile("^(jdbc:postgresql://[^/]+/)([^?]+)(.*)$");

    private final List<ServerProcess> servers = new ArrayList<>();
    private ServerProcess.Database database;
    private String createdDatabase;
    private Ingestion ingestion;

    /** A database of its own, so that no other server in this JVM shares its event processors' tokens. */
    @BeforeEach
    void freshDatabase() throws SQLException {
        TestDatabase.Endpoint shared = TestDatabase.get();
        String url = shared.url();
        Matcher parts = DATABASE_IN_URL.matcher(url);
        if (parts.matches()) {
            String name = "tally_restart_" + UUID.randomUUID().toString().substring(0, 8);
            try (Connection owner = shared.ownerConnection(); Statement statement = owner.createStatement()) {
                statement.execute("CREATE DATABASE " + name);
                createdDatabase = name;
                url = parts.group(1) + name + parts.group(3);
            } catch (SQLException cannotCreate) {
                // A configured server may not let the owner create databases; then the shared one serves.
            }
        }
        database = new ServerProcess.Database(url, shared.appUser(), shared.appPassword(), shared.ownerUser(),
                shared.ownerPassword());
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (ingestion != null) {
            ingestion.stop = true;
        }
        for (ServerProcess server : servers) {
            server.close();
        }
        if (ingestion != null) {
            ingestion.thread.join(Duration.ofSeconds(10).toMillis());
        }
        if (createdDatabase != null) {
            try (Connection owner = TestDatabase.get().ownerConnection(); Statement statement = owner.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + createdDatabase + " WITH (FORCE)");
            } catch (SQLException leftBehind) {
                // The test database is temporary; a database left behind does no harm.
            }
        }
    }

    @Test
    void gracefulStopMidIngestionLosesNoAcknowledgedUsage() throws Exception {
        ServerProcess first = start("sigterm-first");
        assertMigratedByTheOwnerAndServedByTheApplicationRole();
        LedgerScenario ledger = LedgerScenario.open(first.api(), ADMIN_KEY);
        ingestUntilFault(first, ledger.accountId);

        int exit = first.terminate();
        assertThat(exit).as("exit code after SIGTERM\n%s", first.logTail()).isIn(0, 143);
        ingestion.awaitEnd();
        assertThat(first.logText()).as("Spring's graceful shutdown ran").contains("Graceful shutdown complete");

        restartAndCheck(ledger.accountId, true);
    }

    @Test
    void killMidIngestionLosesNoAcknowledgedUsage() throws Exception {
        ServerProcess first = start("sigkill-first");
        LedgerScenario ledger = LedgerScenario.open(first.api(), ADMIN_KEY);
        ingestUntilFault(first, ledger.accountId);

        assertThat(first.kill()).as("exit code after SIGKILL").isEqualTo(137);
        ingestion.awaitEnd();

        restartAndCheck(ledger.accountId, false);
    }

    private ServerProcess start(String name) throws InterruptedException {
        ServerProcess server = ServerProcess.start(database, ADMIN_KEY, name);
        servers.add(server);
        return server.awaitReady();
    }

    private void ingestUntilFault(ServerProcess server, String accountId) {
        ingestion = new Ingestion(server.api(), accountId, LedgerScenario.recently());
        ingestion.thread.start();
        Eventually.awaitTrue(ACKNOWLEDGED_BEFORE_FAULT + " events acknowledged", INGESTION_WAIT_MAX, () -> {
            assertThat(ingestion.failure).as("ingestion before the fault").isNull();
            return ingestion.acknowledged.size() >= ACKNOWLEDGED_BEFORE_FAULT;
        });
    }

    /**
     * After a restart on the same database: every acknowledged event is stored exactly once, the balance
     * equals the sum over what is stored, and re-sending what was not acknowledged completes the ledger.
     * After a graceful stop nothing unacknowledged is stored either: requests in flight were answered.
     */
    private void restartAndCheck(String accountId, boolean graceful) throws Exception {
        Map<String, BigDecimal> sent = ingestion.sentSnapshot();
        Map<String, BigDecimal> acknowledged = new TreeMap<>(ingestion.acknowledged);
        assertThat(ingestion.unexpected).as("answers other than accepted or duplicate").isEmpty();
        assertThat(acknowledged.size()).isGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_FAULT);

        ServerProcess second = start("restarted");
        Api api = second.api();

        Map<String, Long> stored = storedRowsByKey(accountId);
        assertThat(stored.values()).as("no usage event is stored twice").containsOnly(1L);
        assertThat(stored.keySet()).as("every acknowledged event is stored").containsAll(acknowledged.keySet());
        assertThat(sent.keySet()).as("nothing is stored that was never sent").containsAll(stored.keySet());
        if (graceful) {
            assertThat(stored.keySet()).as("a graceful stop answers what it stores")
                    .containsExactlyInAnyOrderElementsOf(acknowledged.keySet());
        }
        assertUnbilled(api, accountId, latestGlobalIndex(), sum(sent, stored.keySet()));

        // Re-send everything that was never acknowledged: stored ones answer duplicate, the others are accepted.
        List<String> unacknowledged = sent.keySet().stream().filter(key -> !acknowledged.containsKey(key)).toList();
        long position = 0;
        if (!unacknowledged.isEmpty()) {
            Api.Response resent = api.post("/v1/usage", ADMIN_KEY, batch(accountId, unacknowledged, sent, ingestion.when));
            assertThat(resent.status()).as(resent.raw().body()).isEqualTo(200);
            assertThat(resent.body().get("results")).as("one answer per re-sent event").hasSize(unacknowledged.size());
            for (JsonNode result : resent.body().get("results")) {
                String key = result.get("idempotencyKey").asText();
                assertThat(result.get("status").asText()).as("re-sent %s", key)
                        .isEqualTo(stored.containsKey(key) ? "duplicate" : "accepted");
            }
            position = resent.position();
        }
        // An acknowledged batch sent again is a duplicate through and through.
        List<String> firstBatch = new ArrayList<>(sent.keySet()).subList(0, EVENTS_PER_BATCH);
        Api.Response again = api.post("/v1/usage", ADMIN_KEY, batch(accountId, firstBatch, sent, ingestion.when));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("results").findValuesAsText("status")).as("answers to the batch sent again")
                .hasSize(EVENTS_PER_BATCH).containsOnly("duplicate");
        position = Math.max(position, again.position());

        Map<String, Long> finallyStored = storedRowsByKey(accountId);
        assertThat(finallyStored.keySet()).containsExactlyInAnyOrderElementsOf(sent.keySet());
        assertThat(finallyStored.values()).containsOnly(1L);
        assertUnbilled(api, accountId, position, sum(sent, sent.keySet()));
    }

    /** per_unit pricing: unbilled is Σ quantity × price over the stored events, to the last digit. */
    private static void assertUnbilled(Api api, String accountId, long minPosition, BigDecimal expected) {
        // A killed server's token claims lapse only after the claim timeout; until then reads may answer 503.
        Api.Response balance = Eventually.awaitValue("the balance at position " + minPosition, BALANCE_WAIT_MAX,
                () -> api.get("/v1/accounts/" + accountId + "/balance?minPosition=" + minPosition, ADMIN_KEY),
                answer -> answer.status() != 503);
        assertThat(balance.status()).as(balance.raw().body()).isEqualTo(200);
        assertThat(new BigDecimal(balance.body().get("unbilled").asText())).isEqualByComparingTo(expected);
    }

    /** The child bound TALLY_DB_MIGRATION_USER: Flyway ran as the owner while the pool uses the application role. */
    private void assertMigratedByTheOwnerAndServedByTheApplicationRole() throws SQLException {
        try (Connection owner = ownerConnection(); Statement statement = owner.createStatement()) {
            List<String> installers = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT DISTINCT installed_by FROM flyway_schema_history")) {
                while (rows.next()) {
                    installers.add(rows.getString(1));
                }
            }
            List<String> users = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery(
                    "SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database()")) {
                while (rows.next()) {
                    users.add(rows.getString(1));
                }
            }
            if (createdDatabase != null) {
                assertThat(installers).containsExactly(database.migrationUser());
            }
            assertThat(users).contains(database.user());
        }
    }

    private Map<String, Long> storedRowsByKey(String accountId) throws SQLException {
        Map<String, Long> rows = new TreeMap<>();
        try (Connection owner = ownerConnection();
             PreparedStatement query = owner.prepareStatement("""
                     SELECT usage ->> 'idempotencyKey', count(*) FROM events.usage_event
                     WHERE aggregateIdentifier = ?
                     GROUP BY usage ->> 'idempotencyKey'""")) {
            query.setString(1, accountId);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    rows.put(row.getString(1), row.getLong(2));
                }
            }
        }
        return rows;
    }

    private long latestGlobalIndex() throws SQLException {
        try (Connection owner = ownerConnection(); Statement statement = owner.createStatement();
             ResultSet row = statement.executeQuery("SELECT coalesce(max(globalIndex), 0) FROM events.domain_event_entry")) {
            row.next();
            return row.getLong(1);
        }
    }

    private static BigDecimal sum(Map<String, BigDecimal> quantities, Collection<String> keys) {
        return keys.stream().map(quantities::get).map(GPU_SECOND_PRICE::multiply).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static String batch(String accountId, List<String> keys, Map<String, BigDecimal> quantities, Instant when) {
        List<String> events = new ArrayList<>();
        for (String key : keys) {
            events.add("""
                    {"idempotencyKey":"%s","accountId":"%s","meter":"gpu_seconds","quantity":"%s","timestamp":"%s"}"""
                    .formatted(key, accountId, quantities.get(key).toPlainString(), when));
        }
        return "{\"events\":[" + String.join(",", events) + "]}";
    }

    /** A connection as the schema owner to the test's own database. */
    private Connection ownerConnection() throws SQLException {
        return DriverManager.getConnection(database.url(), database.migrationUser(), database.migrationPassword());
    }

    /**
     * The client: sends batches one after another until the server stops answering. A key counts as
     * acknowledged only when a 200 answer says accepted or duplicate for it.
     */
    private static final class Ingestion implements Runnable {

        final Thread thread = new Thread(this, "ingestion-client");
        final Map<String, BigDecimal> acknowledged = new ConcurrentHashMap<>();
        final List<String> unexpected = new CopyOnWriteArrayList<>();
        final Instant when;
        volatile boolean stop;
        volatile Throwable failure;
        private final Map<String, BigDecimal> sent = new LinkedHashMap<>();
        private final Api api;
        private final String accountId;

        Ingestion(Api api, String accountId, Instant when) {
            this.api = api;
            this.accountId = accountId;
            this.when = when;
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            for (int batch = 0; !stop; batch++) {
                List<String> keys = new ArrayList<>();
                for (int i = 0; i < EVENTS_PER_BATCH; i++) {
                    int n = batch * EVENTS_PER_BATCH + i;
                    String key = "usage-" + n;
                    synchronized (sent) {
                        sent.put(key, new BigDecimal((n % 13 + 1) + ".5"));
                    }
                    keys.add(key);
                }
                Map<String, BigDecimal> quantities = sentSnapshot();
                Api.Response answer;
                try {
                    answer = api.post("/v1/usage", ADMIN_KEY, batch(accountId, keys, quantities, when));
                } catch (IllegalStateException serverGone) {
                    failure = serverGone;
                    return;
                }
                if (answer.status() != 200) {
                    // Not an acknowledgement (for instance refused while shutting down); the keys stay unacknowledged.
                    continue;
                }
                for (JsonNode result : answer.body().get("results")) {
                    String key = result.get("idempotencyKey").asText();
                    String status = result.get("status").asText();
                    if (status.equals("accepted") || status.equals("duplicate")) {
                        acknowledged.put(key, quantities.get(key));
                    } else {
                        unexpected.add(key + ": " + result);
                    }
                }
            }
        }

        Map<String, BigDecimal> sentSnapshot() {
            synchronized (sent) {
                return new LinkedHashMap<>(sent);
            }
        }

        void awaitEnd() throws InterruptedException {
            thread.join(Duration.ofSeconds(30).toMillis());
            assertThat(thread.isAlive()).as("the client stops once the server is gone").isFalse();
        }
    }
}
