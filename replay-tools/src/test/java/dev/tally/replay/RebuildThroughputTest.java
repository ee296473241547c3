package dev.tally.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.testing.Api;
import dev.tally.server.testing.InProcessServer;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.ServerTest;
import dev.tally.server.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

// Goal: measure the rebuild's events/s on a generated ledger (run on demand: -Dreplay.throughput.events=1000000).
@EnabledIfSystemProperty(named = "replay.throughput.events", matches = "\\d+")
class RebuildThroughputTest {

    private static final int ACCOUNTS = 10;
    private static final int USAGE_EVENTS_PER_ACCOUNT = 1_000;

    @Test
    void rebuildOfAGeneratedLedger() throws Exception {
        long target = Long.parseLong(System.getProperty("replay.throughput.events"));
        TestDatabase.Endpoint database = TestDatabase.fresh("replay_throughput");
        List<String> accounts = new ArrayList<>();
        try (InProcessServer server = InProcessServer.start(database, Clock.systemUTC(),
                Map.of("tally.invoice.scheduler-enabled", "false"))) {
            for (int a = 0; a < ACCOUNTS; a++) {
                accounts.add(usageHeavyAccount(server.api()));
            }
        }
        // Copies of the accounts under new ids, made in SQL while no server runs: a large ledger in seconds.
        try (Connection owner = database.ownerConnection(); PreparedStatement clone = owner.prepareStatement("""
                INSERT INTO events.domain_event_entry (aggregateIdentifier, sequenceNumber, type, eventIdentifier,
                    metaData, payload, payloadRevision, payloadType, timeStamp)
                SELECT aggregateIdentifier || '-c' || c, sequenceNumber, type, gen_random_uuid()::text, metaData,
                       replace(payload::text, '"' || aggregateIdentifier || '"',
                               '"' || aggregateIdentifier || '-c' || c || '"')::json,
                       payloadRevision, payloadType, timeStamp
                FROM events.domain_event_entry e, generate_series(1, ?) c
                WHERE aggregateIdentifier = ANY (?) ORDER BY c, globalIndex""")) {
            long perCopy = (long) ACCOUNTS * (USAGE_EVENTS_PER_ACCOUNT + 3);
            clone.setLong(1, Math.max(0, target / perCopy - 1));
            clone.setArray(2, owner.createArrayOf("text", accounts.toArray()));
            clone.executeUpdate();
        }

        ToolRun rebuild = ToolRun.against(database, "rebuild", "--into", "shadow_throughput");

        assertThat(rebuild.exit()).as(rebuild.err()).isZero();
        System.out.println("rebuild throughput: " + rebuild.err().lines().filter(line -> line.contains("events/s"))
                .findFirst().orElseThrow());
    }

    private static String usageHeavyAccount(Api api) {
        LedgerScenario ledger = LedgerScenario.open(api, ServerTest.ADMIN_KEY);
        Api.Response grant = api.post("/v1/accounts/" + ledger.accountId + "/credits", ServerTest.ADMIN_KEY, """
                {"grantId":"prepaid-1","amount":"500","kind":"prepaid","effectiveAt":"2026-01-01T00:00:00Z"}""");
        assertThat(grant.status()).isEqualTo(201);
        Instant at = LedgerScenario.recently();
        StringBuilder batch = new StringBuilder("{\"events\":[");
        for (int i = 0; i < USAGE_EVENTS_PER_ACCOUNT; i++) {
            batch.append(i == 0 ? "" : ",").append("""
                    {"idempotencyKey":"u%d","accountId":"%s","meter":"%s","quantity":"%d.5","timestamp":"%s"}"""
                    .formatted(i, ledger.accountId, i % 3 == 0 ? "images" : "gpu_seconds", 1 + i % 50, at));
        }
        Api.Response usage = api.post("/v1/usage", ServerTest.ADMIN_KEY, batch.append("]}").toString());
        assertThat(usage.status()).as(usage.raw().body()).isEqualTo(200);
        return ledger.accountId;
    }
}
