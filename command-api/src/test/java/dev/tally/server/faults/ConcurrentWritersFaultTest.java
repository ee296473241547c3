package dev.tally.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.ServerTest;
import dev.tally.server.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

// Goal: many writers racing on one account lose nothing, record each key once, and keep the stream and the balance exact.
class ConcurrentWritersFaultTest extends ServerTest {

    private static final int WRITERS = 8;
    private static final int BATCHES_PER_WRITER = 8;
    private static final int OWN_EVENTS_PER_BATCH = 10;
    /** Keys every writer sends in every batch, with identical content, so that they race for the same key. */
    private static final int SHARED_KEYS = 5;
    private static final BigDecimal GPU_SECOND_PRICE = new BigDecimal("0.002");
    private static final long WRITERS_WAIT_MAX_SECONDS = 60;

    @Autowired
    private JdbcTemplate jdbc;

    private ServerProcess secondNode;

    @AfterEach
    void stopSecondNode() throws InterruptedException {
        if (secondNode != null) {
            secondNode.close();
        }
    }

    @Test
    void writersRacingOnOneAccountRecordEveryKeyExactlyOnce() throws Exception {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        raceAndCheck(ledger, List.of(api()));
    }

    /**
     * Two servers on one database: their aggregate caches go stale, so appends lose races on the account's
     * next sequence number and must be retried on fresh state rather than fail or be recorded twice.
     */
    @Test
    void writersOnTwoServersRacingOnOneAccountRecordEveryKeyExactlyOnce() throws Exception {
        TestDatabase.Endpoint database = TestDatabase.get();
        secondNode = ServerProcess.start(new ServerProcess.Database(database.url(), database.appUser(),
                database.appPassword(), database.ownerUser(), database.ownerPassword()), ADMIN_KEY, "second-node");
        secondNode.awaitReady();
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        raceAndCheck(ledger, List.of(api(), secondNode.api()));
    }

    private void raceAndCheck(LedgerScenario ledger, List<Api> servers) throws Exception {
        Instant when = LedgerScenario.recently();
        Map<String, BigDecimal> quantityByKey = new ConcurrentHashMap<>();
        Map<String, List<String>> statusesByKey = new ConcurrentHashMap<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        AtomicLong highestPosition = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);

        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int writer = 0; writer < WRITERS; writer++) {
                int writerIndex = writer;
                done.add(writers.submit(() -> {
                    start.await();
                    for (int batch = 0; batch < BATCHES_PER_WRITER; batch++) {
                        List<String> events = new ArrayList<>();
                        for (int i = 0; i < OWN_EVENTS_PER_BATCH; i++) {
                            String key = "w" + writerIndex + "-b" + batch + "-e" + i;
                            BigDecimal quantity = BigDecimal.valueOf((writerIndex * 7 + batch * 3 + i) % 11 + 1);
                            quantityByKey.put(key, quantity);
                            events.add(event(key, ledger.accountId, quantity, when));
                        }
                        // The shared keys go in a different place of each batch so the writers collide in varied orders.
                        for (int shared = 0; shared < SHARED_KEYS; shared++) {
                            String key = "shared-" + ((shared + writerIndex + batch) % SHARED_KEYS);
                            BigDecimal quantity = new BigDecimal("100.5");
                            quantityByKey.put(key, quantity);
                            events.add((writerIndex + shared) % events.size(), event(key, ledger.accountId, quantity, when));
                        }
                        Api.Response answer = servers.get(writerIndex % servers.size()).post("/v1/usage", ADMIN_KEY,
                                "{\"events\":[" + String.join(",", events) + "]}");
                        if (answer.status() != 200) {
                            failures.add(answer.status() + " " + answer.raw().body());
                            continue;
                        }
                        highestPosition.accumulateAndGet(answer.position(), Math::max);
                        for (JsonNode result : answer.body().get("results")) {
                            statusesByKey.computeIfAbsent(result.get("idempotencyKey").asText(),
                                    key -> new CopyOnWriteArrayList<>()).add(result.get("status").asText());
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : done) {
                writer.get(WRITERS_WAIT_MAX_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            writers.shutdownNow();
        }

        assertThat(failures).as("every batch is answered 200").isEmpty();
        int ownKeys = WRITERS * BATCHES_PER_WRITER * OWN_EVENTS_PER_BATCH;
        assertThat(statusesByKey).hasSize(ownKeys + SHARED_KEYS);
        statusesByKey.forEach((key, statuses) -> {
            assertThat(statuses).as("answers for %s", key).isSubsetOf("accepted", "duplicate");
            assertThat(statuses.stream().filter("accepted"::equals).count()).as("acceptances of %s", key).isEqualTo(1);
        });
        statusesByKey.entrySet().stream().filter(entry -> entry.getKey().startsWith("shared-"))
                .forEach(entry -> assertThat(entry.getValue()).hasSize(WRITERS * BATCHES_PER_WRITER));

        // The store holds each key once, and the account's stream has no gap and no repeated sequence number.
        Map<String, Long> rowsByKey = new TreeMap<>();
        jdbc.query("""
                SELECT usage ->> 'idempotencyKey', count(*) FROM events.usage_event
                WHERE aggregateIdentifier = ?
                GROUP BY usage ->> 'idempotencyKey'""",
                row -> {
                    rowsByKey.put(row.getString(1), row.getLong(2));
                }, ledger.accountId);
        assertThat(rowsByKey.keySet()).containsExactlyInAnyOrderElementsOf(quantityByKey.keySet());
        assertThat(rowsByKey.values()).containsOnly(1L);
        List<Long> sequences = jdbc.queryForList("""
                SELECT sequenceNumber FROM events.domain_event_entry WHERE aggregateIdentifier = ?
                ORDER BY sequenceNumber""", Long.class, ledger.accountId);
        // The opening, then one stored event per answered batch (a batch is one event, however many of its
        // keys were new).
        assertThat(sequences).as("the account's stream").hasSize(1 + WRITERS * BATCHES_PER_WRITER);
        for (int i = 0; i < sequences.size(); i++) {
            assertThat(sequences.get(i)).as("sequence number at %d", i).isEqualTo(i);
        }

        // per_unit pricing: the unbilled amount is the exact sum of quantity × price over the accepted keys.
        BigDecimal expectedUnbilled = quantityByKey.values().stream().map(GPU_SECOND_PRICE::multiply)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        Api.Response balance = ledger.balance(highestPosition.get());
        assertThat(balance.status()).as(balance.raw().body()).isEqualTo(200);
        assertThat(new BigDecimal(balance.body().get("unbilled").asText())).isEqualByComparingTo(expectedUnbilled);
        BigDecimal usageAccrued = BigDecimal.ZERO;
        for (JsonNode day : api().get("/v1/accounts/" + ledger.accountId + "/usage?minPosition=" + highestPosition.get(),
                ADMIN_KEY).body().get("items")) {
            usageAccrued = usageAccrued.add(new BigDecimal(day.get("accrued").asText()));
        }
        assertThat(usageAccrued).isEqualByComparingTo(expectedUnbilled);
    }

    private static String event(String key, String accountId, BigDecimal quantity, Instant when) {
        return """
                {"idempotencyKey":"%s","accountId":"%s","meter":"gpu_seconds","quantity":"%s","timestamp":"%s"}"""
                .formatted(key, accountId, quantity.toPlainString(), when);
    }
}
