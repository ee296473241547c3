package dev.tally.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.ServerTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

// Goal: the balance "as of" an instant, replayed from the events, equals the live balance read at that instant.
class BalanceAsOfEndToEndTest extends ServerTest {

    private static final List<String> FIGURES = List.of("creditBalance", "unbilled", "unappliedCash", "amountDue");

    @Test
    void balanceAsOfEachInstantEqualsTheLiveBalanceThen() throws InterruptedException {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        String base = "/v1/accounts/" + ledger.accountId;
        List<Api.Response> steps = new ArrayList<>();
        steps.add(api().post(base + "/credits", ADMIN_KEY,
                "{\"grantId\":\"g1\",\"amount\":\"3\",\"kind\":\"prepaid\",\"effectiveAt\":\"2026-01-01T00:00:00Z\"}"));
        steps.add(ledger.usage("u1", "gpu_seconds", "1000", LedgerScenario.recently()));
        steps.add(ledger.usage("u2", "images", "120", LedgerScenario.recently()));
        steps.add(api().post(base + "/payments", ADMIN_KEY, "{\"paymentId\":\"p1\",\"amount\":\"4\",\"method\":\"wire\"}"));
        steps.add(api().post(base + "/credits/g1/void", ADMIN_KEY, "{\"reason\":\"test\"}"));

        List<Instant> instants = new ArrayList<>();
        List<JsonNode> live = new ArrayList<>();
        for (Api.Response step : steps) {
            assertThat(step.status()).as(step.raw().body()).isBetween(200, 201);
            live.add(ledger.balance(step.position()).body());
            Thread.sleep(5);
            instants.add(Instant.now());
        }
        // After the void: gpu 1000 × 0.002 = 2.00 drawn from g1 (1.00 left); images 100 × 0.04 + 20 × 0.02
        // = 4.40, of which g1's last 1.00 funds part and 3.40 is uncovered; 4 paid, so 0.60 is owed back.
        assertThat(live.get(4).get("unbilled").asText()).isEqualTo("3.40");
        assertThat(live.get(4).get("creditBalance").asText()).isEqualTo("0.00");
        assertThat(live.get(4).get("amountDue").asText()).isEqualTo("-0.60");

        for (int i = 0; i < instants.size(); i++) {
            JsonNode asOf = api().get(base + "/balance?asOf=" + instants.get(i), ADMIN_KEY).body();
            for (String figure : FIGURES) {
                assertThat(asOf.get(figure).asText()).as("%s after step %d", figure, i)
                        .isEqualTo(live.get(i).get(figure).asText());
            }
        }
        Api.Response beforeOpening = api().get(base + "/balance?asOf=2025-01-01T00:00:00Z", ADMIN_KEY);
        assertThat(beforeOpening.status()).isEqualTo(404);
        assertThat(api().get(base + "/balance?asOf=yesterday", ADMIN_KEY).code()).isEqualTo("invalid_field");
    }
}
