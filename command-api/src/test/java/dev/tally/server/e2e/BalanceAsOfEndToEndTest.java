package dev.tally.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.EventTimestamps;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.ServerTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

// Goal: the balance "as of" an instant, replayed from the events, equals the live balance read at that instant.
class BalanceAsOfEndToEndTest extends ServerTest {

    private static final List<String> FIGURES = List.of("creditBalance", "unbilled", "unappliedCash", "amountDue");

    @Test
    void balanceAsOfEachInstantEqualsTheLiveBalanceThen() {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        String base = "/v1/accounts/" + ledger.accountId;
        Instant used = clock().instant().minus(1, ChronoUnit.MINUTES);
        List<Supplier<Api.Response>> steps = List.of(
                () -> api().post(base + "/credits", ADMIN_KEY,
                        "{\"grantId\":\"g1\",\"amount\":\"3\",\"kind\":\"prepaid\",\"effectiveAt\":\"2026-01-01T00:00:00Z\"}"),
                () -> ledger.usage("u1", "gpu_seconds", "1000", used),
                () -> ledger.usage("u2", "images", "120", used),
                () -> api().post(base + "/payments", ADMIN_KEY, "{\"paymentId\":\"p1\",\"amount\":\"4\",\"method\":\"wire\"}"),
                () -> api().post(base + "/credits/g1/void", ADMIN_KEY, "{\"reason\":\"test\"}"));

        // Each step, then the live balance it leads to, then an instant after it and before the next step: the
        // balance as of that instant must be that live balance, and no other step's.
        List<Instant> instants = new ArrayList<>();
        List<JsonNode> live = new ArrayList<>();
        for (Supplier<Api.Response> step : steps) {
            Api.Response answer = step.get();
            assertThat(answer.status()).as(answer.raw().body()).isBetween(200, 201);
            live.add(ledger.balance(answer.position()).body());
            instants.add(EventTimestamps.betweenEvents());
        }
        assertThat(live.get(0).get("creditBalance").asText()).isEqualTo("3.00");
        assertThat(live.get(1).get("creditBalance").asText()).isEqualTo("1.00");
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
