package dev.tally.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.testing.Api;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.ServerTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.common.caching.Cache;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

// Goal: a busy account is snapshotted, and an account loaded cold from its snapshot keeps deciding exactly.
class AccountSnapshotIntegrationTest extends ServerTest {

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private Cache aggregateCache;

    @Test
    void busyAccountIsSnapshottedAndLoadsColdFromIt() {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        Instant when = LedgerScenario.recently();
        for (int batch = 0; batch < 3; batch++) {
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                events.add("""
                        {"idempotencyKey":"k-%d-%d","accountId":"%s","meter":"gpu_seconds","quantity":"10","timestamp":"%s"}"""
                        .formatted(batch, i, ledger.accountId, when));
            }
            Api.Response answer = api().post("/v1/usage", ADMIN_KEY, "{\"events\":[" + String.join(",", events) + "]}");
            assertThat(answer.status()).isEqualTo(200);
        }
        // The snapshot is written in the background after the commit that crossed 250 events.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(jdbc.queryForObject("SELECT count(*) FROM events.snapshot_event_entry WHERE aggregateIdentifier = ?",
                        Integer.class, ledger.accountId)).isEqualTo(1));

        aggregateCache.removeAll();
        Api.Response retry = ledger.usage("k-0-0", "gpu_seconds", "10", when);
        assertThat(retry.body().get("results").get(0).get("status").asText()).isEqualTo("duplicate");
        Api.Response fresh = ledger.usage("k-new", "gpu_seconds", "10", when);
        assertThat(fresh.body().get("results").get(0).get("status").asText()).isEqualTo("accepted");
        // 301 events × 10 × 0.002
        assertThat(ledger.balance(fresh.position()).body().get("unbilled").asText()).isEqualTo("6.02");
        // The balance as of now replays the whole history, not the events after the snapshot.
        Api.Response asOf = api().get("/v1/accounts/" + ledger.accountId + "/balance?asOf=" + java.time.Instant.now(),
                ADMIN_KEY);
        assertThat(asOf.status()).as(asOf.raw().body()).isEqualTo(200);
        assertThat(asOf.body().get("unbilled").asText()).isEqualTo("6.02");
    }
}
