package dev.tally.server.integration.orb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.integrations.orb.fake.FakeOrb;
import dev.tally.integrations.orb.fake.FakeOrbFault;
import dev.tally.server.testing.InProcessServer;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.ServerTest;
import dev.tally.server.testing.TestDatabase;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import static dev.tally.server.testing.Eventually.awaitTrue;

// Goal: a server stopped while Orb is down stops cleanly, and its successor sends what was pending, and nothing twice.
class OrbRestartTest {

    private final FakeOrb orb = FakeOrb.start();
    private final TestDatabase.Endpoint database = TestDatabase.fresh("orb_restart");

    @AfterEach
    void stop() {
        orb.close();
    }

    @Test
    void usagePendingWhileOrbWasDownReachesOrbOnceAfterARestart() {
        String accountId;
        String firstKey;
        try (InProcessServer first = start()) {
            LedgerScenario ledger = LedgerScenario.open(first.api(), ServerTest.ADMIN_KEY);
            accountId = ledger.accountId;
            firstKey = accountId + "/before";
            assertThat(ledger.usage("before", "gpu_seconds", "100", LedgerScenario.recently()).status()).isEqualTo(200);
            awaitTrue("the first usage in Orb", () -> orb.state().eventsOf(ledger.accountId).size() == 1);

            orb.faultsOnly(request -> request.path().equals("/v1/ingest"));
            orb.failNext(10_000, new FakeOrbFault.ServerError());
            assertThat(ledger.usage("during", "gpu_seconds", "30", LedgerScenario.recently()).status()).isEqualTo(200);
            awaitTrue("Orb refusing the pending usage", () -> orb.receivedCount("POST", "/v1/ingest") >= 3);
        }
        // Orb stays down until the first server is gone: the faults left over were meant never to be reached.
        orb.clearFaults();
        int requestsBeforeRestart = orb.received().size();

        try (InProcessServer second = start()) {
            awaitTrue("the pending usage in Orb", () -> orb.state().eventsOf(accountId).size() == 2);
            assertThat(orb.state().total(accountId, "gpu_seconds", "quantity")).isEqualByComparingTo("130");
            List<FakeOrb.Received> received = orb.received();
            assertThat(received.subList(requestsBeforeRestart, received.size()))
                    .filteredOn(r -> r.path().equals("/v1/ingest")).as("the successor's ingest calls")
                    .isNotEmpty()
                    .anyMatch(r -> r.body().contains(accountId + "/during"))
                    .noneMatch(r -> r.body().contains(firstKey));
            assertThat(second.has(OrbDeadLetters.class)).isTrue();
        }
    }

    private InProcessServer start() {
        return InProcessServer.start(database, Clock.systemUTC(), Map.of(
                "tally.invoice.scheduler-enabled", "false",
                "tally.audit.checkpoint-enabled", "false",
                "tally.orb.api-key", FakeOrb.API_KEY,
                "tally.orb.base-url", orb.baseUrl(),
                "tally.orb.read-timeout", "PT1S",
                "tally.orb.retries-max", "1"));
    }
}
