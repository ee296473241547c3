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
import org.junit.jupiter.api.Test;

// Goal: an event whose payload this build cannot even read is dead-lettered by the live projections for its account,
// and a rebuild reports it the same way and rebuilds everything else, so diff agrees.
class UnreadableEventRebuildTest {

    private static final String KEY = ServerTest.ADMIN_KEY;

    @Test
    void rebuildReportsAnEventItCannotReadAndAgreesWithTheViewsThatHoldIt() {
        TestDatabase.Endpoint database = TestDatabase.fresh("unreadable_rebuild");
        try (InProcessServer server = InProcessServer.start(database, Clock.systemUTC(),
                Map.of("tally.invoice.scheduler-enabled", "false"))) {
            Api api = server.api();
            LedgerScenario unreadable = LedgerScenario.open(api, KEY);
            ForgedEvents.Forged broken = ForgedEvents.appendCopy(database, unreadable.accountId, "AccountOpened",
                    Map.of("billingStart", "not an instant"));
            LedgerScenario other = LedgerScenario.open(api, KEY);
            long usage = other.usage(Api.unique("u"), "gpu_seconds", "1000", LedgerScenario.recently()).position();
            assertThat(other.balance(usage).body().get("unbilled").asText()).isEqualTo("2.00");
            JsonNode letter = Eventually.await("the live dead letter", () -> {
                for (JsonNode item : api.get("/v1/admin/dead-letters?group=" + ProcessingGroups.LEDGER_PROJECTIONS,
                        KEY).body().get("items")) {
                    if (item.get("eventId").asText().equals(broken.eventId())) {
                        return item;
                    }
                }
                return null;
            });
            assertThat(letter.get("causeType").asText()).contains("Serialization");
            Api.Response stalled = api.get("/v1/accounts/" + unreadable.accountId + "/balance", KEY);
            assertThat(stalled.code()).isEqualTo("account_view_stalled");

            ToolRun rebuild = ToolRun.against(database, "rebuild", "--into", "shadow_unreadable");

            assertThat(rebuild.exit()).as(rebuild.err()).isEqualTo(ExitCodes.FINDING);
            assertThat(rebuild.outLines()).hasSize(1);
            assertThat(rebuild.outLines().get(0)).startsWith("cannot apply AccountOpened " + broken.eventId()
                    + " at position " + broken.position() + " of account " + unreadable.accountId
                    + ": cannot read its payload");
            ToolRun diff = ToolRun.against(database, "diff", "--live", "projections", "--shadow", "shadow_unreadable");
            assertThat(diff.exit()).as(diff.out() + diff.err()).isZero();
        }
    }
}
