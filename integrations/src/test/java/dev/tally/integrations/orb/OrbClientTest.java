package dev.tally.integrations.orb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.integrations.orb.fake.FakeOrb;
import dev.tally.integrations.orb.fake.FakeOrbFault;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

// Goal: the client retries what is transient (boundedly, counting), gives up on what is permanent, and keeps keys stable.
class OrbClientTest {

    /** Orb's "now", by which it judges event timestamps: fixed, so that no test depends on the day it runs. */
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-10T12:00:00Z"), ZoneOffset.UTC);
    private FakeOrb orb;
    private OrbRetryCounter retries;
    private OrbClient client;

    @BeforeEach
    void start() {
        orb = FakeOrb.start(clock);
        retries = new OrbRetryCounter();
        client = clientWith(3, Duration.ofMillis(300));
    }

    @AfterEach
    void stop() {
        orb.close();
    }

    private OrbClient clientWith(int retriesMax, Duration readTimeout) {
        OrbClientSettings settings = OrbClientSettings.of(orb.baseUrl(), FakeOrb.API_KEY)
                .withTimeouts(Duration.ofSeconds(1), readTimeout)
                .withRetries(retriesMax, Duration.ofMillis(10), Duration.ofMillis(50));
        return new OrbClient(settings, retries, clock);
    }

    @Test
    void findsIngestedEventsByKeyWithinTheTimeframeWithExactQuantities() {
        Instant inOctober = Instant.parse("2026-10-15T10:00:00Z");
        // The October event is 26 days old on Orb's clock.
        orb.state().gracePeriod(Duration.ofDays(30));
        client.ingest(List.of(
                new OrbEvent("acct-1/u1", "acct-1", "gpu_seconds", inOctober, Map.of("quantity", new BigDecimal("0.123456789012345678"))),
                new OrbEvent("acct-1/u2", "acct-1", "gpu_seconds", Instant.parse("2026-11-02T00:00:00Z"),
                        Map.of("quantity", new BigDecimal("5")))));

        List<OrbStoredEvent> found = client.searchEvents(List.of("acct-1/u1", "acct-1/u2", "acct-1/unknown"),
                Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-11-01T00:00:00Z"));

        assertThat(found).singleElement().satisfies(event -> {
            assertThat(event.idempotencyKey()).isEqualTo("acct-1/u1");
            assertThat(event.externalCustomerId()).isEqualTo("acct-1");
            assertThat(event.eventName()).isEqualTo("gpu_seconds");
            assertThat(event.timestamp()).isEqualTo(inOctober);
            assertThat(event.properties().get("quantity")).isEqualTo(new BigDecimal("0.123456789012345678"));
        });
        assertThatThrownBy(() -> client.searchEvents(List.of(), Instant.EPOCH, inOctober))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pacesIngestionToTheAccountsEventsPerMinute() {
        // 600 a minute is 10 a second: 30 events need at least about two seconds however fast Orb answers.
        // The pacing is the thing under test and the rate limiter keeps real time (it takes no Clock), so
        // the elapsed time is measured: only a lower bound, which no slow machine can break.
        OrbClient paced = new OrbClient(OrbClientSettings.of(orb.baseUrl(), FakeOrb.API_KEY)
                .withIngestEventsPerMinute(600), retries, clock);
        Instant used = clock.instant().minusSeconds(60);
        long started = System.nanoTime();
        for (int request = 0; request < 3; request++) {
            List<OrbEvent> events = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                events.add(new OrbEvent("acct-p/" + request + "-" + i, "acct-p", "gpu_seconds", used,
                        Map.of("quantity", BigDecimal.ONE)));
            }
            paced.ingest(events);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1_800));
        assertThat(orb.state().eventsOf("acct-p")).hasSize(30);
    }

    @Test
    void createsACustomerOnceAndReportsADuplicateExternalIdAsSuch() {
        OrbNewCustomer customer = new OrbNewCustomer("acct-1", "Acme", "ops@acme.test", "USD",
                Map.of("tally_account_id", "acct-1"));
        OrbCustomer created = client.createCustomer(customer);
        assertThat(created.externalCustomerId()).isEqualTo("acct-1");
        assertThat(client.createCustomer(customer)).as("the same request again is a replay").isEqualTo(created);
        assertThat(orb.state().customers()).hasSize(1);
        assertThat(orb.received()).filteredOn(r -> r.method().equals("POST"))
                .allSatisfy(r -> assertThat(r.idempotencyKey()).isEqualTo("customer:acct-1"));

        String seeded = orb.state().seedCustomer("acct-2", "Made by hand", "x@acme.test");
        assertThatThrownBy(() -> client.createCustomer(new OrbNewCustomer("acct-2", "Acme", "ops@acme.test", "USD",
                Map.of()))).isInstanceOfSatisfying(OrbRejected.class,
                rejected -> assertThat(rejected.problem().isDuplicateResource()).isTrue());
        assertThat(client.customerByExternalId("acct-2")).contains(new OrbCustomer(seeded, "acct-2"));
        assertThat(client.customerByExternalId("nobody")).isEmpty();
    }

    @Test
    void honoursRetryAfterOn429AndCountsTheRetry() {
        orb.failNext(1, new FakeOrbFault.TooManyRequests(1));
        long started = System.nanoTime();
        assertThat(client.ingest(List.of(usage("k1", 2))).allIngested()).isTrue();
        orb.assertAllFaultsHit();
        // The wait is the thing under test and Failsafe waits in real time (it takes no Clock), so the
        // elapsed time is measured: only a lower bound, which no slow machine can break.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(retries.retries()).isEqualTo(1);
        assertThat(orb.state().total("acct-1", "api_call", "quantity")).isEqualByComparingTo("2");
    }

    @Test
    void retriesServerErrorsTimeoutsAndResetsWithoutDoubleCounting() {
        orb.failNext(1, new FakeOrbFault.ServerError());
        orb.failNext(1, new FakeOrbFault.Late());
        orb.failNext(1, new FakeOrbFault.ConnectionReset());
        assertThat(client.ingest(List.of(usage("k1", 2), usage("k2", 3))).allIngested()).isTrue();
        orb.assertAllFaultsHit();
        // The late request is processed after the client gave up and its resend was answered: the resend
        // must not make Orb count the usage twice.
        assertThat(orb.state().total("acct-1", "api_call", "quantity")).isEqualByComparingTo("5");
        assertThat(retries.retries()).as("one retry per fault").isEqualTo(3);
        assertThat(orb.received()).as("the three faulted tries and the answered one").hasSize(4)
                .extracting(FakeOrb.Received::idempotencyKey).containsOnly(orb.received().get(0).idempotencyKey());
    }

    @Test
    void givesUpAfterTheBoundedRetriesAsUnavailable() {
        orb.failNext(10, new FakeOrbFault.ServerError());
        assertThatThrownBy(() -> client.ingest(List.of(usage("k1", 1)))).isInstanceOf(OrbUnavailable.class);
        assertThat(orb.receivedCount("POST", "/v1/ingest")).isEqualTo(4);
        assertThat(retries.retries()).isEqualTo(3);
        assertThat(orb.pendingFaults()).as("the faults the client did not wait for").hasSize(10 - 4);
    }

    @Test
    void permanentErrorsAreNotRetried() {
        OrbClient wrongKey = new OrbClient(OrbClientSettings.of(orb.baseUrl(), "wrong"), retries, clock);
        assertThatThrownBy(() -> wrongKey.ingest(List.of(usage("k1", 1)))).isInstanceOfSatisfying(OrbRejected.class,
                rejected -> assertThat(rejected.problem().status()).isEqualTo(401));
        orb.state().batchCap(1);
        assertThatThrownBy(() -> client.ingest(List.of(usage("k1", 1), usage("k2", 1))))
                .isInstanceOfSatisfying(OrbRejected.class, rejected -> assertThat(rejected.problem().status())
                        .isEqualTo(413));
        assertThat(retries.retries()).isZero();
    }

    @Test
    void ingestReportsTheEventsThatFailedValidation() {
        OrbEvent old = new OrbEvent("old", "acct-1", "api_call", clock.instant().minus(Duration.ofDays(3)),
                Map.of("quantity", BigDecimal.ONE));
        OrbIngestResult result = client.ingest(List.of(usage("k1", 1), old));
        assertThat(result.validationFailed()).containsOnlyKeys("old");
        assertThat(result.validationFailed().get("old").get(0)).contains("grace period");
        assertThat(orb.state().events()).isEmpty();
    }

    @Test
    void creditLedgerEntriesAreSentWithNumericAmountsAndReturnTheBlock() {
        client.createCustomer(new OrbNewCustomer("acct-1", "Acme", "ops@acme.test", "USD", Map.of()));
        OrbLedgerEntry entry = client.createLedgerEntry("acct-1", Map.of("entry_type", "increment",
                "amount", new BigDecimal("12.50")), "credit:acct-1:g1");
        assertThat(entry.blockId()).startsWith("blk_");
        OrbLedgerEntry voided = client.createLedgerEntry("acct-1", Map.of("entry_type", "void",
                "amount", new BigDecimal("2.50"), "block_id", entry.blockId()), "credit-void:acct-1:g1");
        assertThat(voided.entryType()).isEqualTo("void");
        assertThat(orb.state().blocksOf("acct-1").get(0).balance()).isEqualByComparingTo("10.00");
    }

    @Test
    void aRequestIsTheSameBytesEveryTimeSoThatItsKeyNeverMeetsAnotherPayload() {
        client.createCustomer(new OrbNewCustomer("acct-1", "Acme", "ops@acme.test", "USD", Map.of()));
        Map<String, Object> metadata = Map.of("zeta", "1", "alpha", "2", "mid", "3");
        client.createLedgerEntry("acct-1", Map.of("entry_type", "increment", "amount", BigDecimal.ONE,
                "metadata", metadata), "credit:acct-1:g1");
        String body = orb.received().get(orb.received().size() - 1).body();
        assertThat(body).contains("\"metadata\":{\"alpha\":\"2\",\"mid\":\"3\",\"zeta\":\"1\"}");

        client.ingest(List.of(new OrbEvent("k1", "acct-1", "api_call", Instant.parse("2030-01-01T00:00:00Z"),
                Map.of("b", 1, "a", 2, "c", 3))));
        assertThat(orb.received().get(orb.received().size() - 1).body()).contains("{\"a\":2,\"b\":1,\"c\":3}");
    }

    @Test
    void idempotencyKeysFitTheHeaderAndAreStable() {
        assertThat(OrbIdempotencyKeys.of("credit", "acct-1", "g1")).isEqualTo("credit:acct-1:g1");
        String longKey = OrbIdempotencyKeys.of("credit", "a".repeat(100), "g1");
        assertThat(longKey).hasSize(64).startsWith("credit:").isEqualTo(OrbIdempotencyKeys.of("credit",
                "a".repeat(100), "g1"));
        assertThat(OrbIdempotencyKeys.of("credit", "a b", "g1")).hasSize(64);
        assertThat(OrbIdempotencyKeys.usageEvent("acct:1", "k/2")).isEqualTo("acct:1/k/2");
        assertThat(OrbClientSettings.of("http://x", "secret-key").toString()).doesNotContain("secret-key");
    }

    private OrbEvent usage(String key, int quantity) {
        return new OrbEvent(key, "acct-1", "api_call", clock.instant(), Map.of("quantity", BigDecimal.valueOf(quantity)));
    }
}
