package dev.tally.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.Eventually;
import dev.tally.server.testing.TestDatabase;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

// Goal: three processes split by role as in Kubernetes share one database, the two projection processes one
// segment each; killing one API-and-projections process mid-ingestion loses nothing acknowledged, its segment moves
// to the other, and the figures equal a single all-roles server's on the same input.
class MultiInstanceFaultTest {

    private static final String ADMIN_KEY = "multi-admin-key";
    private static final String PLAN_ID = "multi-plan";
    private static final String METER = "gpu_seconds";
    /** Whole cents per unit, so that every sum of integer quantities is exact at the currency's two decimals. */
    private static final BigDecimal UNIT_PRICE = new BigDecimal("0.05");
    private static final int ACCOUNTS = 24;
    private static final int CLIENT_THREADS = 4;
    private static final int BATCHES_PER_THREAD = 60;
    private static final int EVENTS_PER_BATCH = 100;
    private static final int EVENTS_TOTAL = CLIENT_THREADS * BATCHES_PER_THREAD * EVENTS_PER_BATCH;
    /** The kill strikes after a third of the events were acknowledged, so that it falls mid-stream. */
    private static final int ACKNOWLEDGED_BEFORE_KILL = EVENTS_TOTAL / 3;
    /** Tries per batch: a client whose server died sends the same batch to the other one. */
    private static final int SEND_TRIES_MAX = 6;
    /** A client's back-off before it sends a failed batch again. */
    private static final Duration RETRY_PAUSE = Duration.ofMillis(200);
    /** Covers the token store's 10 s claim timeout, the survivor's claim interval and its catching up. */
    private static final Duration CATCH_UP_WAIT_MAX = Duration.ofSeconds(60);
    /** Covers the balancer's 2 s interval, the first member's claim of both segments and the second's claim. */
    private static final Duration SPREAD_WAIT_MAX = Duration.ofSeconds(40);
    private static final Duration INGESTION_WAIT_MAX = Duration.ofSeconds(90);
    private static final String PROJECTION_PROCESSOR = "ledger-projections";
    /** The export ledger's folded part (the integrations process folds every 5 s here, while the export runs). */
    private static final String WATERMARK =
            "coalesce((SELECT max(exported_through) FROM warehouse.export_watermark), 0)";
    /** The stored events that hold usage: a single usage event, or a command's batch of them. */
    private static final String USAGE_TYPES =
            "'dev.tally.ledger.api.usage.UsageRecorded', 'dev.tally.ledger.api.usage.UsageBatchRecorded'";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ServerProcess> servers = new ArrayList<>();
    private final List<Path> dataDirs = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (ServerProcess server : servers) {
            server.close();
        }
        for (Path dir : dataDirs) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void killedApiInstanceLosesNothingAndItsSegmentsMoveToTheOther() throws Exception {
        TestDatabase.Endpoint endpoint = TestDatabase.fresh("tally_multi_instance");
        ServerProcess.Database database = databaseOf(endpoint);
        Path exportDir = dataDir("integrations");

        // The first process migrates; the others start on the migrated schema, so that no two race Flyway.
        ServerProcess apiA = start(database, "multi-api-a", Map.of("TALLY_ROLES", "api,projections",
                "TALLY_DATA_DIR", dataDir("api-a").toString()));
        ServerProcess apiB = start(database, "multi-api-b", Map.of("TALLY_ROLES", "api,projections",
                "TALLY_DATA_DIR", dataDir("api-b").toString()));
        start(database, "multi-integrations", Map.of(
                "TALLY_ROLES", "integrations,scheduler", "TALLY_DATA_DIR", exportDir.toString(),
                "TALLY_WAREHOUSE_ENABLED", "true", "TALLY_WAREHOUSE_FOLD_INTERVAL", "PT5S"));

        Instant when = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        openPlanAndAccounts(apiA.api(), when);

        // The two projection processes share the work: each holds one of the two segments before any usage arrives.
        awaitSpread(endpoint, apiA, apiB);

        Ingestion ingestion = new Ingestion(List.of(apiA.api(), apiB.api()), when);
        ingestion.start();
        ingestion.awaitAcknowledged(ACKNOWLEDGED_BEFORE_KILL);
        ServerProcess victim = projectionOwner(endpoint, apiA, apiB);
        ServerProcess survivor = victim == apiA ? apiB : apiA;
        assertThat(projectionOwners(endpoint)).as("the killed process holds projection segments")
                .contains(ownerName(victim));
        assertThat(victim.kill()).as("exit code after SIGKILL").isEqualTo(137);
        ingestion.awaitEnd();

        assertThat(ingestion.unexpected).as("answers other than accepted or duplicate").isEmpty();
        assertThat(ingestion.acknowledged).as("every batch was acknowledged, retried on the survivor if need be")
                .hasSize(EVENTS_TOTAL);
        // Each event was answered once: accepted, or duplicate when a batch the killed process had stored was
        // sent again (a duplicate on a first send is among the unexpected answers above).
        assertThat(ingestion.accepted.size() + ingestion.duplicates.size()).as("accepted and duplicate answers")
                .isEqualTo(EVENTS_TOTAL);

        // Every acknowledged event is in the event store exactly once, and nothing else is.
        Map<String, Long> stored = storedUsageByKey(endpoint);
        assertThat(stored.values()).as("no usage event is stored twice").containsOnly(1L);
        assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(ingestion.acknowledged.keySet());

        // The survivor took over the killed process's segments and projected everything.
        long head = eventStoreHead(endpoint);
        Map<String, JsonNode> balances = awaitBalances(survivor.api(), head);
        assertThat(projectionOwners(endpoint)).as("every projection segment claimed by the survivor")
                .containsOnly(ownerName(survivor));

        Map<String, BigDecimal> quantityByAccount = ingestion.quantityByAccount();
        Map<String, Long> eventsByAccount = ingestion.eventsByAccount();
        for (String account : accounts()) {
            BigDecimal accrued = quantityByAccount.get(account).multiply(UNIT_PRICE);
            assertThat(new BigDecimal(balances.get(account).get("unbilled").asText())).as("unbilled of %s", account)
                    .isEqualByComparingTo(accrued);
            assertThat(new BigDecimal(balances.get(account).get("amountDue").asText())).as("amount due of %s", account)
                    .isEqualByComparingTo(accrued);
        }
        assertUsageProjection(endpoint, quantityByAccount, eventsByAccount);
        assertJournal(endpoint, quantityByAccount);
        assertWarehouse(endpoint, exportDir);

        // The same acknowledged input on a fresh database with one all-roles server gives the same balances.
        for (ServerProcess server : List.copyOf(servers)) {
            server.close();
        }
        TestDatabase.Endpoint singleEndpoint = TestDatabase.fresh("tally_multi_single");
        ServerProcess single = start(databaseOf(singleEndpoint), "multi-single",
                Map.of("TALLY_DATA_DIR", dataDir("single").toString()));
        openPlanAndAccounts(single.api(), when);
        long singleHead = replay(single.api(), ingestion, when);
        Map<String, JsonNode> singleBalances = awaitBalances(single.api(), singleHead);
        for (String account : accounts()) {
            for (String figure : List.of("currency", "creditBalance", "unbilled", "invoicedOutstanding", "unappliedCash",
                    "amountDue", "grants")) {
                assertThat(balances.get(account).get(figure)).as("%s of %s, three processes vs one", figure, account)
                        .isEqualTo(singleBalances.get(account).get(figure));
            }
        }
    }

    private ServerProcess start(ServerProcess.Database database, String name, Map<String, String> settings)
            throws InterruptedException {
        ServerProcess server = ServerProcess.start(database, ADMIN_KEY, name, settings);
        servers.add(server);
        return server.awaitReady();
    }

    private Path dataDir(String name) throws IOException {
        Path dir = Files.createTempDirectory("tally-multi-" + name);
        dataDirs.add(dir);
        return dir;
    }

    private static ServerProcess.Database databaseOf(TestDatabase.Endpoint endpoint) {
        return new ServerProcess.Database(endpoint.url(), endpoint.appUser(), endpoint.appPassword(),
                endpoint.ownerUser(), endpoint.ownerPassword());
    }

    private static List<String> accounts() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            ids.add("multi-acct-%02d".formatted(i));
        }
        return ids;
    }

    /** A per_unit plan and the accounts, billed from the day before so that no period ends during the test. */
    private static void openPlanAndAccounts(Api api, Instant when) {
        Instant since = when.truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS);
        Api.Response plan = api.post("/v1/plans", ADMIN_KEY, """
                {"planId":"%s","currency":"USD","effectiveFrom":"%s",
                 "prices":[{"meter":"%s","model":"per_unit","unitPrice":"%s"}]}"""
                .formatted(PLAN_ID, since, METER, UNIT_PRICE.toPlainString()));
        assertThat(plan.status()).as(plan.raw().body()).isEqualTo(201);
        for (String account : accounts()) {
            Api.Response opened = api.post("/v1/accounts", ADMIN_KEY, """
                    {"accountId":"%s","currency":"USD","planId":"%s","billingStart":"%s"}"""
                    .formatted(account, PLAN_ID, since));
            assertThat(opened.status()).as(opened.raw().body()).isEqualTo(201);
        }
    }

    private static void awaitSpread(TestDatabase.Endpoint endpoint, ServerProcess a, ServerProcess b) {
        List<String> owners = Eventually.awaitValue("both processes holding a projection segment", SPREAD_WAIT_MAX,
                () -> projectionOwners(endpoint), found -> found.contains(ownerName(a)) && found.contains(ownerName(b)));
        assertThat(owners).as("one projection segment for each process").containsExactlyInAnyOrder(ownerName(a),
                ownerName(b));
    }

    /** The API process whose pid owns the projection segments now; Axon names owners {@code pid@host}. */
    private static ServerProcess projectionOwner(TestDatabase.Endpoint endpoint, ServerProcess a, ServerProcess b)
            throws SQLException {
        List<String> owners = projectionOwners(endpoint);
        return owners.contains(ownerName(b)) && !owners.contains(ownerName(a)) ? b : a;
    }

    private static String ownerName(ServerProcess server) {
        return server.pid() + "@";
    }

    /** The pid part ({@code pid@}) of each projection segment's owner; empty for an unclaimed segment. */
    private static List<String> projectionOwners(TestDatabase.Endpoint endpoint) throws SQLException {
        List<String> owners = new ArrayList<>();
        try (Connection owner = endpoint.ownerConnection();
             PreparedStatement query = owner.prepareStatement(
                     "SELECT coalesce(split_part(owner, '@', 1) || '@', '') FROM axon.token_entry WHERE processorName = ?")) {
            query.setString(1, PROJECTION_PROCESSOR);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    owners.add(rows.getString(1));
                }
            }
        }
        return owners;
    }

    /** Every account's balance read with minPosition {@code head}, retried while the projection catches up (503). */
    private static Map<String, JsonNode> awaitBalances(Api api, long head) {
        Map<String, JsonNode> balances = new TreeMap<>();
        for (String account : accounts()) {
            Api.Response balance = Eventually.awaitValue("the balance of " + account + " at " + head, CATCH_UP_WAIT_MAX,
                    () -> api.get("/v1/accounts/" + account + "/balance?minPosition=" + head, ADMIN_KEY),
                    answer -> answer.status() != 503);
            assertThat(balance.status()).as(balance.raw().body()).isEqualTo(200);
            balances.put(account, balance.body());
        }
        return balances;
    }

    /** projections.usage_daily holds, per account, exactly the acknowledged quantities, events and accruals. */
    private static void assertUsageProjection(TestDatabase.Endpoint endpoint, Map<String, BigDecimal> quantityByAccount,
                                              Map<String, Long> eventsByAccount) throws SQLException {
        Map<String, BigDecimal> quantities = new TreeMap<>();
        Map<String, BigDecimal> accrued = new TreeMap<>();
        Map<String, Long> events = new TreeMap<>();
        try (Connection owner = endpoint.ownerConnection(); Statement statement = owner.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT account_id, sum(quantity), sum(accrued), sum(events) FROM projections.usage_daily
                     GROUP BY account_id""")) {
            while (rows.next()) {
                quantities.put(rows.getString(1), rows.getBigDecimal(2));
                accrued.put(rows.getString(1), rows.getBigDecimal(3));
                events.put(rows.getString(1), rows.getLong(4));
            }
        }
        assertThat(events).isEqualTo(eventsByAccount);
        assertThat(quantities.keySet()).isEqualTo(quantityByAccount.keySet());
        for (Map.Entry<String, BigDecimal> expected : quantityByAccount.entrySet()) {
            assertThat(quantities.get(expected.getKey())).as("usage of %s", expected.getKey())
                    .isEqualByComparingTo(expected.getValue());
            assertThat(accrued.get(expected.getKey())).as("accrued of %s", expected.getKey())
                    .isEqualByComparingTo(expected.getValue().multiply(UNIT_PRICE));
        }
    }

    /** The journal balances, each usage event is posted once, and each receivable equals the accrued usage. */
    private static void assertJournal(TestDatabase.Endpoint endpoint, Map<String, BigDecimal> quantityByAccount)
            throws SQLException {
        try (Connection owner = endpoint.ownerConnection(); Statement statement = owner.createStatement()) {
            try (ResultSet totals = statement.executeQuery(
                    "SELECT sum(debit), sum(credit) FROM projections.journal_posting")) {
                totals.next();
                assertThat(totals.getBigDecimal(1)).as("debits equal credits").isEqualByComparingTo(totals.getBigDecimal(2));
            }
            try (ResultSet usage = statement.executeQuery("""
                    SELECT (SELECT count(DISTINCT j.event_id) FROM projections.journal_posting j
                            JOIN events.domain_event_entry e ON e.eventIdentifier = j.event_id
                            WHERE e.payloadType IN (%s)),
                           (SELECT count(*) FROM events.domain_event_entry WHERE payloadType IN (%s))"""
                    .formatted(USAGE_TYPES, USAGE_TYPES))) {
                usage.next();
                assertThat(usage.getLong(1)).as("usage events in the journal").isEqualTo(usage.getLong(2));
            }
            Map<String, BigDecimal> receivable = new TreeMap<>();
            try (ResultSet rows = statement.executeQuery("""
                    SELECT account_id, sum(debit) - sum(credit) FROM projections.journal_posting
                    WHERE ledger_account = 'receivable:' || account_id GROUP BY account_id""")) {
                while (rows.next()) {
                    receivable.put(rows.getString(1), rows.getBigDecimal(2));
                }
            }
            assertThat(receivable.keySet()).isEqualTo(quantityByAccount.keySet());
            for (Map.Entry<String, BigDecimal> expected : quantityByAccount.entrySet()) {
                assertThat(receivable.get(expected.getKey())).as("receivable of %s", expected.getKey())
                        .isEqualByComparingTo(expected.getValue().multiply(UNIT_PRICE));
            }
        }
    }

    /**
     * The export ledger covers every stored event's position once, either under the folded watermark or by its
     * own row (its primary key forbids twice), and the NDJSON files under the integrations process's data dir
     * hold one line per event id, for every event.
     */
    private static void assertWarehouse(TestDatabase.Endpoint endpoint, Path exportDir) throws Exception {
        String missing = """
                SELECT count(*) FROM events.domain_event_entry e
                WHERE e.globalIndex > %s AND NOT EXISTS
                  (SELECT 1 FROM warehouse.exported_event x WHERE x.global_position = e.globalIndex)""".formatted(WATERMARK);
        Eventually.awaitTrue("every stored event exported", CATCH_UP_WAIT_MAX, () -> count(endpoint, missing) == 0);
        assertThat(count(endpoint, "SELECT " + WATERMARK)).as("the export ledger folded while the export ran")
                .isPositive();
        assertThat(count(endpoint, "SELECT count(*) FROM warehouse.exported_event WHERE global_position <= " + WATERMARK))
                .as("rows left under the watermark").isZero();
        // One statement, one snapshot: the integrations process keeps folding meanwhile.
        assertThat(count(endpoint, """
                SELECT (SELECT count(*) FROM warehouse.exported_event)
                     - (SELECT count(*) FROM events.domain_event_entry WHERE globalIndex > %s)""".formatted(WATERMARK)))
                .as("rows above the watermark, one per event").isZero();
        assertThat(count(endpoint, """
                SELECT count(DISTINCT target) FROM (SELECT target FROM warehouse.exported_event
                                                    UNION SELECT target FROM warehouse.export_watermark) targets"""))
                .isEqualTo(1);

        List<String> storedIds = new ArrayList<>();
        try (Connection owner = endpoint.ownerConnection(); Statement statement = owner.createStatement();
             ResultSet rows = statement.executeQuery("SELECT eventIdentifier FROM events.domain_event_entry")) {
            while (rows.next()) {
                storedIds.add(rows.getString(1));
            }
        }
        Map<String, Integer> lines = new HashMap<>();
        Path ledgerEvents = exportDir.resolve("warehouse").resolve("ledger_events");
        try (Stream<Path> files = Files.walk(ledgerEvents)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".ndjson")).toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        lines.merge(JSON.readTree(line).get("event_id").asText(), 1, Integer::sum);
                    }
                }
            }
        }
        assertThat(lines.values()).as("NDJSON lines per event id").containsOnly(1);
        assertThat(lines.keySet()).containsExactlyInAnyOrderElementsOf(storedIds);
    }

    /** Sends the acknowledged events again, in batches, to a single server; answers its last position. */
    private static long replay(Api api, Ingestion ingestion, Instant when) {
        List<String> keys = new ArrayList<>(new TreeMap<>(ingestion.acknowledged).keySet());
        long position = 0;
        for (int from = 0; from < keys.size(); from += EVENTS_PER_BATCH) {
            List<String> batch = keys.subList(from, Math.min(keys.size(), from + EVENTS_PER_BATCH));
            Api.Response answer = api.post("/v1/usage", ADMIN_KEY, body(batch, ingestion.acknowledged, when));
            assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
            for (JsonNode result : answer.body().get("results")) {
                assertThat(result.get("status").asText()).as(result.toString()).isEqualTo("accepted");
            }
            position = Math.max(position, answer.position());
        }
        return position;
    }

    private static Map<String, Long> storedUsageByKey(TestDatabase.Endpoint endpoint) throws SQLException {
        Map<String, Long> rows = new HashMap<>();
        try (Connection owner = endpoint.ownerConnection();
             PreparedStatement query = owner.prepareStatement("""
                     SELECT usage ->> 'idempotencyKey', count(*) FROM events.usage_event
                     GROUP BY usage ->> 'idempotencyKey'""")) {
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    rows.put(row.getString(1), row.getLong(2));
                }
            }
        }
        return rows;
    }

    private static long eventStoreHead(TestDatabase.Endpoint endpoint) throws SQLException {
        return count(endpoint, "SELECT coalesce(max(globalIndex), 0) FROM events.domain_event_entry");
    }

    private static long count(TestDatabase.Endpoint endpoint, String sql) throws SQLException {
        try (Connection owner = DriverManager.getConnection(endpoint.url(), endpoint.ownerUser(), endpoint.ownerPassword());
             Statement statement = owner.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    /** One usage event as the client sent it: account and integer quantity, keyed by its idempotency key. */
    private record Usage(String accountId, BigDecimal quantity) {
    }

    private static String body(List<String> keys, Map<String, Usage> usage, Instant when) {
        List<String> events = new ArrayList<>();
        for (String key : keys) {
            Usage event = usage.get(key);
            events.add("""
                    {"idempotencyKey":"%s","accountId":"%s","meter":"%s","quantity":"%s","timestamp":"%s"}"""
                    .formatted(key, event.accountId(), METER, event.quantity().toPlainString(), when));
        }
        return "{\"events\":[" + String.join(",", events) + "]}";
    }

    /**
     * The clients: {@link #CLIENT_THREADS} threads, half of them sending to each API process, each to its own
     * accounts. A batch that fails (connection refused or reset, or any answer but 200) is sent again to the
     * other process, as a client behind a load balancer would; a key counts as acknowledged only when a 200
     * answer says accepted or duplicate for it.
     */
    private static final class Ingestion {

        final Map<String, Usage> acknowledged = new ConcurrentHashMap<>();
        final Map<String, Usage> accepted = new ConcurrentHashMap<>();
        final Map<String, Usage> duplicates = new ConcurrentHashMap<>();
        final List<String> unexpected = new CopyOnWriteArrayList<>();
        private final List<Thread> threads = new ArrayList<>();
        private final List<Throwable> failures = new CopyOnWriteArrayList<>();
        private final AtomicInteger acknowledgedCount = new AtomicInteger();
        private final List<Api> apis;
        private final Instant when;

        Ingestion(List<Api> apis, Instant when) {
            this.apis = apis;
            this.when = when;
            for (int t = 0; t < CLIENT_THREADS; t++) {
                int thread = t;
                Thread client = new Thread(() -> {
                    try {
                        send(thread);
                    } catch (Throwable failure) {
                        failures.add(failure);
                    }
                }, "multi-client-" + t);
                client.setDaemon(true);
                threads.add(client);
            }
        }

        void start() {
            threads.forEach(Thread::start);
        }

        private void send(int thread) throws InterruptedException {
            int accountsPerThread = ACCOUNTS / CLIENT_THREADS;
            int target = thread % apis.size();
            for (int batch = 0; batch < BATCHES_PER_THREAD; batch++) {
                Map<String, Usage> events = new TreeMap<>();
                List<String> keys = new ArrayList<>();
                for (int k = 0; k < EVENTS_PER_BATCH; k++) {
                    String key = "m-%d-%03d-%03d".formatted(thread, batch, k);
                    String account = accounts().get(thread * accountsPerThread + k % accountsPerThread);
                    events.put(key, new Usage(account, BigDecimal.valueOf((batch * 7L + k) % 50 + 1)));
                    keys.add(key);
                }
                String body = body(keys, events, when);
                boolean answered = false;
                for (int attempt = 0; attempt < SEND_TRIES_MAX && !answered; attempt++) {
                    Api.Response answer = null;
                    try {
                        answer = apis.get(target).post("/v1/usage", ADMIN_KEY, body);
                    } catch (IllegalStateException serverGone) {
                        // Refused or reset by a killed server: not an acknowledgement.
                    }
                    if (answer == null || answer.status() != 200) {
                        target = (target + 1) % apis.size();
                        // A client's back-off before it sends again, as a client behind a load balancer would:
                        // part of the simulated client, not a wait of the test's.
                        Thread.sleep(RETRY_PAUSE.toMillis());
                        continue;
                    }
                    answered = true;
                    for (JsonNode result : answer.body().get("results")) {
                        String key = result.get("idempotencyKey").asText();
                        String status = result.get("status").asText();
                        if (status.equals("duplicate") && attempt == 0) {
                            unexpected.add(key + ": duplicate on its first send");
                        } else if (status.equals("accepted") || status.equals("duplicate")) {
                            acknowledged.put(key, events.get(key));
                            acknowledgedCount.incrementAndGet();
                            (status.equals("accepted") ? accepted : duplicates).put(key, events.get(key));
                        } else {
                            unexpected.add(key + ": " + result);
                        }
                    }
                }
                assertThat(answered).as("batch %d of client %d answered by some server", batch, thread).isTrue();
            }
        }

        void awaitAcknowledged(int count) {
            Eventually.awaitTrue(count + " events acknowledged", INGESTION_WAIT_MAX, () -> {
                assertThat(failures).as("clients before the kill").isEmpty();
                return acknowledgedCount.get() >= count;
            });
        }

        void awaitEnd() throws InterruptedException {
            for (Thread thread : threads) {
                thread.join(INGESTION_WAIT_MAX.toMillis());
                assertThat(thread.isAlive()).as("%s finished", thread.getName()).isFalse();
            }
            assertThat(failures).as("client failures").isEmpty();
        }

        Map<String, BigDecimal> quantityByAccount() {
            Map<String, BigDecimal> sums = new TreeMap<>();
            acknowledged.values().forEach(usage -> sums.merge(usage.accountId(), usage.quantity(), BigDecimal::add));
            return sums;
        }

        Map<String, Long> eventsByAccount() {
            Map<String, Long> counts = new TreeMap<>();
            acknowledged.values().forEach(usage -> counts.merge(usage.accountId(), 1L, Long::sum));
            return counts;
        }
    }
}
