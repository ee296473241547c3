package dev.tally.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.projections.support.ProcessingGroups;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.Eventually;
import dev.tally.server.testing.ForgedEvents;
import dev.tally.server.testing.InProcessServer;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.ServerTest;
import dev.tally.server.testing.TestDatabase;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

// Goal: a rebuild reports an event the projections cannot apply and rebuilds everything else, holding that account
// as the live views hold it (so diff agrees), and once an admin skips the event the rebuild leaves it out as they do.
class PoisonRebuildTest {

    private static final String KEY = ServerTest.ADMIN_KEY;
    private static final String GROUP = ProcessingGroups.LEDGER_PROJECTIONS;

    private static TestDatabase.Endpoint database;
    private static InProcessServer server;

    @BeforeAll
    static void start() {
        database = TestDatabase.fresh("poison_rebuild");
        server = InProcessServer.start(database, Clock.systemUTC(), Map.of("tally.invoice.scheduler-enabled", "false"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void rebuildReportsTheEventItCannotApplyGoesOnAndAgreesWithTheViewsBeforeAndAfterTheSkip() {
        Api api = server.api();
        LedgerScenario healthy = LedgerScenario.open(api, KEY);
        LedgerScenario poisoned = LedgerScenario.open(api, KEY);
        Api.Response granted = api.post("/v1/accounts/" + poisoned.accountId + "/credits", KEY, """
                {"grantId":"welcome","amount":"5","kind":"promotional","effectiveAt":"2026-01-01T00:00:00Z"}""");
        assertThat(granted.status()).as(granted.raw().body()).isEqualTo(201);
        ForgedEvents.Forged poison = ForgedEvents.appendCopy(database, poisoned.accountId, "CreditGranted",
                Map.of("grantId", "by-hand", "description", "granted by hand \u0000 with a NUL"));
        long lastUsage = poisoned.usage(Api.unique("u"), "gpu_seconds", "1000", LedgerScenario.recently()).position();
        lastUsage = Math.max(lastUsage,
                healthy.usage(Api.unique("u"), "gpu_seconds", "1000", LedgerScenario.recently()).position());
        assertThat(healthy.balance(lastUsage).status()).isEqualTo(200);
        JsonNode letter = letterFor(api, poison.eventId());

        ToolRun rebuild = ToolRun.against(database, "rebuild", "--into", "shadow_poison");

        assertThat(rebuild.exit()).as(rebuild.err()).isEqualTo(ExitCodes.FINDING);
        assertThat(rebuild.outLines()).hasSize(1);
        assertThat(rebuild.outLines().get(0)).startsWith("cannot apply CreditGranted " + poison.eventId()
                + " at position " + poison.position() + " of account " + poisoned.accountId + ": ")
                .contains("its 1 later event(s) not applied");
        ToolRun held = ToolRun.against(database, "diff", "--live", "projections", "--shadow", "shadow_poison");
        assertThat(held.exit()).as(held.out() + held.err()).isZero();

        Api.Response skipped = api.post("/v1/admin/dead-letters/" + GROUP + "/" + letter.get("id").asText() + "/skip",
                KEY, "{\"reason\":\"a NUL in the description; granted again properly\"}");
        assertThat(skipped.status()).as(skipped.raw().body()).isEqualTo(200);
        Api.Response balance = poisoned.balance(skipped.position());
        assertThat(balance.status()).as(balance.raw().body()).isEqualTo(200);
        // The real grant paid for the usage held behind the poison; the skipped grant counts nowhere.
        assertThat(balance.body().get("creditBalance").asText()).isEqualTo("3.00");

        ToolRun offline = ToolRun.against(database, "balance", "--account", poisoned.accountId, "--as-of",
                java.time.Instant.now().toString());
        assertThat(offline.exit()).as(offline.err()).isZero();
        assertThat(offline.out()).as("the offline balance leaves the skipped grant out too")
                .contains("\"creditBalance\" : \"3.00\"");

        ToolRun again = ToolRun.against(database, "rebuild", "--into", "shadow_poison");
        assertThat(again.exit()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).isEmpty();
        ToolRun agreed = ToolRun.against(database, "diff", "--live", "projections", "--shadow", "shadow_poison");
        assertThat(agreed.exit()).as(agreed.out() + agreed.err()).isZero();
    }

    private static JsonNode letterFor(Api api, String eventId) {
        return Eventually.await("a dead letter for event " + eventId, () -> {
            for (JsonNode item : api.get("/v1/admin/dead-letters?group=" + GROUP, KEY).body().get("items")) {
                if (item.get("eventId").asText().equals(eventId)) {
                    return item;
                }
            }
            return null;
        });
    }
}
