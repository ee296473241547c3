package dev.tally.server.processing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.projections.support.ProcessingGroups;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.Eventually;
import dev.tally.server.testing.ForgedEvents;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.ServerTest;
import dev.tally.server.testing.TestDatabase;
import dev.tally.server.web.position.StalledAccounts;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

// Goal: an event already stored that the read models cannot hold (a U+0000 in a text, an instant past PostgreSQL's
// range) stalls only its own account's views, answered as such, in health and in a metric, until an admin skips it.
class PoisonEventEndToEndTest extends ServerTest {

    private static final String GROUP = ProcessingGroups.LEDGER_PROJECTIONS;
    private static final Pattern STALLED_GAUGE = Pattern.compile("(?m)^tally_account_views_stalled(?:\\{[^}]*})? (\\S+)$");

    @Autowired
    private StalledAccounts stalled;

    @Autowired
    private EventProcessingConfiguration processing;

    @Test
    void anEventTheViewsCannotStoreStallsOnlyItsAccountUntilAnAdminSkipsIt() {
        LedgerScenario healthy = LedgerScenario.open(api(), ADMIN_KEY);
        LedgerScenario withNul = LedgerScenario.open(api(), ADMIN_KEY);
        LedgerScenario withInstant = LedgerScenario.open(api(), ADMIN_KEY);
        grantFive(withNul);
        grantFive(withInstant);
        ForgedEvents.Forged nul = ForgedEvents.appendCopy(TestDatabase.get(), withNul.accountId, "CreditGranted",
                Map.of("grantId", "poison-nul", "description", "stored by an old version \u0000 with a NUL"));
        ForgedEvents.Forged instant = ForgedEvents.appendCopy(TestDatabase.get(), withInstant.accountId, "CreditGranted",
                Map.of("grantId", "poison-instant", "expiresAt", "+999999999-12-31T23:59:59Z"));

        // Every account records usage after the poison; the healthy one's views follow it.
        long healthyUsage = accepted(healthy.usage(Api.unique("u"), "gpu_seconds", "1000", LedgerScenario.recently()));
        long nulUsage = accepted(withNul.usage(Api.unique("u"), "gpu_seconds", "1000", LedgerScenario.recently()));
        long instantUsage = accepted(withInstant.usage(Api.unique("u"), "gpu_seconds", "1000", LedgerScenario.recently()));
        Api.Response healthyBalance = healthy.balance(healthyUsage);
        assertThat(healthyBalance.status()).as(healthyBalance.raw().body()).isEqualTo(200);
        assertThat(healthyBalance.body().get("unbilled").asText()).isEqualTo("2.00");

        // The poisoned accounts answer stalled on every read of their views, naming the position.
        for (String read : List.of("/balance", "", "/usage", "/invoices", "/journal")) {
            assertStalled(api().get("/v1/accounts/" + withNul.accountId + read + "?minPosition=" + nulUsage, ADMIN_KEY),
                    nul);
            assertStalled(api().get("/v1/accounts/" + withInstant.accountId + read + "?minPosition=" + instantUsage,
                    ADMIN_KEY), instant);
        }
        assertThat(stalled.of(healthy.accountId)).isEmpty();
        // A write is still decided by the account itself; its answer, read from the views, says they are stalled.
        assertStalled(api().post("/v1/accounts/" + withInstant.accountId + "/invoices", ADMIN_KEY,
                "{\"periodStart\":\"2026-01-01T00:00:00Z\"}"), instant);

        // Health is DEGRADED, still 200; readiness stays UP; the gauge counts one per stalled account.
        Api.Response health = api().get("/actuator/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().get("status").asText()).isEqualTo("DEGRADED");
        Api.Response readiness = api().get("/actuator/health/readiness", null);
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.body().get("status").asText()).isEqualTo("UP");
        long stalledBefore = stalled.count();
        assertThat(stalledBefore).isGreaterThanOrEqualTo(2);
        assertThat(stalledGauge()).isEqualTo(stalledBefore);

        // The admin sees the event itself, and why it cannot be applied.
        JsonNode letter = letterFor(nul.eventId());
        assertThat(letter.get("position").asLong()).isEqualTo(nul.position());
        assertThat(letter.get("eventType").asText()).isEqualTo("CreditGranted");
        assertThat(letter.get("payload").get("grantId").asText()).isEqualTo("poison-nul");
        assertThat(letter.get("causeMessage").asText()).contains("cannot apply CreditGranted " + nul.eventId());

        // A retry tries the event again (it still cannot be applied) and leaves it where it was.
        Api.Response retried = api().post("/v1/admin/dead-letters/" + GROUP + "/" + letter.get("id").asText()
                + "/retry", ADMIN_KEY, "");
        assertThat(retried.status()).as(retried.raw().body()).isEqualTo(200);
        assertThat(retried.body().get("processed").asBoolean()).isFalse();
        assertThat(retried.body().get("letter").get("causeMessage").asText()).contains("0x00");
        assertStalled(api().get("/v1/accounts/" + withNul.accountId + "/balance", ADMIN_KEY), nul);

        // A skip is a ledger event with its actor; the account's views then move on past it.
        JsonNode skipper = api().post("/v1/api-keys", ADMIN_KEY, "{\"name\":\"skipper\",\"role\":\"admin\"}").body();
        long nulSkip = skip(nul, skipper.get("key").asText());
        long instantSkip = skip(instant, skipper.get("key").asText());

        JsonNode audited = api().get("/v1/accounts/" + withNul.accountId + "/audit?type=ProjectionEventSkipped",
                ADMIN_KEY).body().get("items");
        assertThat(audited).hasSize(1);
        assertThat(audited.get(0).get("actor").asText()).isEqualTo(skipper.get("id").asText());
        assertThat(audited.get(0).get("payload").get("eventId").asText()).isEqualTo(nul.eventId());
        assertThat(audited.get(0).get("payload").get("position").asLong()).isEqualTo(nul.position());
        assertThat(audited.get(0).get("payload").get("processingGroup").asText()).isEqualTo(GROUP);

        for (LedgerScenario account : List.of(withNul, withInstant)) {
            long after = account == withNul ? nulSkip : instantSkip;
            Api.Response balance = account.balance(after);
            assertThat(balance.status()).as(balance.raw().body()).isEqualTo(200);
            // The real grant of 5 paid for the usage after the poison; the skipped grant counts nowhere.
            assertThat(balance.body().get("creditBalance").asText()).isEqualTo("3.00");
            assertThat(balance.body().get("grants")).hasSize(1);
            Api.Response asOfNow = api().get("/v1/accounts/" + account.accountId + "/balance?asOf="
                    + java.time.Instant.now(), ADMIN_KEY);
            assertThat(asOfNow.body().get("creditBalance").asText()).as("a replay leaves the skipped event out too")
                    .isEqualTo("3.00");
            for (String read : List.of("", "/usage", "/invoices", "/journal")) {
                Api.Response answer = api().get("/v1/accounts/" + account.accountId + read + "?minPosition=" + after,
                        ADMIN_KEY);
                assertThat(answer.status()).as(read + " " + answer.raw().body()).isEqualTo(200);
            }
        }
        assertThat(stalled.of(withNul.accountId)).isEmpty();
        assertThat(stalled.of(withInstant.accountId)).isEmpty();
        // Usage recorded after the skip is applied live again, no longer held.
        long later = accepted(withNul.usage(Api.unique("u"), "gpu_seconds", "500", LedgerScenario.recently()));
        Api.Response afterSkip = withNul.balance(later);
        assertThat(afterSkip.status()).as(afterSkip.raw().body()).isEqualTo(200);
        assertThat(afterSkip.body().get("creditBalance").asText()).isEqualTo("2.00");
        assertThat(stalled.of(withNul.accountId)).isEmpty();
        assertThat(stalledGauge()).isEqualTo(stalledBefore - 2);
    }

    @Test
    void anInvoiceTheViewsCannotStoreIsDeadLetteredThoughTheInvoicesProjectionWritesAsItGoes() {
        LedgerScenario account = LedgerScenario.open(api(), ADMIN_KEY);
        Api.Response closed = api().post("/v1/accounts/" + account.accountId + "/invoices", ADMIN_KEY,
                "{\"periodStart\":\"2026-01-01T00:00:00Z\"}");
        assertThat(closed.status()).as(closed.raw().body()).isEqualTo(201);
        ForgedEvents.Forged poison = ForgedEvents.appendCopy(TestDatabase.get(), account.accountId, "InvoiceIssued",
                Map.of("invoiceId", "inv-by-hand", "number", "TLY-\u0000-by-hand"));
        long usage = accepted(account.usage(Api.unique("u"), "gpu_seconds", "1000", LedgerScenario.recently()));

        assertStalled(api().get("/v1/accounts/" + account.accountId + "/invoices?minPosition=" + usage, ADMIN_KEY),
                poison);
        JsonNode letter = letterFor(poison.eventId());
        assertThat(letter.get("causeMessage").asText()).contains("cannot apply InvoiceIssued " + poison.eventId());

        long skipped = skip(poison, ADMIN_KEY);
        Api.Response invoices = api().get("/v1/accounts/" + account.accountId + "/invoices?minPosition=" + skipped,
                ADMIN_KEY);
        assertThat(invoices.status()).as(invoices.raw().body()).isEqualTo(200);
        assertThat(invoices.body().get("items")).hasSize(1);
        assertThat(account.balance(skipped).body().get("unbilled").asText()).isEqualTo("2.00");
    }

    @Test
    void readinessGoesDownOnlyWhileAWholeProcessorIsStopped() {
        EventProcessor projections = processing.eventProcessor(GROUP).orElseThrow();
        projections.shutDown();
        try {
            Api.Response stopped = api().get("/actuator/health/readiness", null);
            assertThat(stopped.status()).isEqualTo(503);
            assertThat(stopped.body().get("status").asText()).isEqualTo("OUT_OF_SERVICE");
        } finally {
            projections.start();
        }
        Eventually.awaitTrue("readiness is UP again once the processor runs",
                () -> api().get("/actuator/health/readiness", null).status() == 200);
    }

    private void grantFive(LedgerScenario account) {
        Api.Response granted = api().post("/v1/accounts/" + account.accountId + "/credits", ADMIN_KEY, """
                {"grantId":"welcome","amount":"5","kind":"promotional","effectiveAt":"2026-01-01T00:00:00Z",
                 "expiresAt":"2099-01-01T00:00:00Z","description":"welcome"}""");
        assertThat(granted.status()).as(granted.raw().body()).isEqualTo(201);
    }

    private static long accepted(Api.Response usage) {
        assertThat(usage.status()).as(usage.raw().body()).isEqualTo(200);
        assertThat(usage.body().get("results").get(0).get("status").asText()).isEqualTo("accepted");
        return usage.position();
    }

    private static void assertStalled(Api.Response answer, ForgedEvents.Forged poison) {
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(503);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.code()).isEqualTo("account_view_stalled");
        assertThat(answer.body().get("position").asLong()).isEqualTo(poison.position());
        assertThat(answer.body().get("eventId").asText()).isEqualTo(poison.eventId());
        assertThat(answer.body().get("detail").asText()).contains("position " + poison.position());
    }

    /** Skips the poison's dead letter, once the processor has dead-lettered it; the skip's Ledger-Position. */
    private long skip(ForgedEvents.Forged poison, String key) {
        JsonNode letter = letterFor(poison.eventId());
        Api.Response skipped = api().post("/v1/admin/dead-letters/" + GROUP + "/" + letter.get("id").asText() + "/skip",
                key, "{\"reason\":\"holds what PostgreSQL cannot store; left out after review\"}");
        assertThat(skipped.status()).as(skipped.raw().body()).isEqualTo(200);
        assertThat(skipped.body().get("eventId").asText()).isEqualTo(poison.eventId());
        return skipped.position();
    }

    private JsonNode letterFor(String eventId) {
        return Eventually.await("a dead letter for event " + eventId, () -> {
            for (JsonNode item : api().get("/v1/admin/dead-letters?group=" + GROUP + "&limit=1000", ADMIN_KEY).body()
                    .get("items")) {
                if (item.get("eventId").asText().equals(eventId)) {
                    return item;
                }
            }
            return null;
        });
    }

    private long stalledGauge() {
        String metrics = new String(api().download("/actuator/prometheus", ADMIN_KEY).body(), StandardCharsets.UTF_8);
        Matcher gauge = STALLED_GAUGE.matcher(metrics);
        assertThat(gauge.find()).as(metrics).isTrue();
        return (long) Double.parseDouble(gauge.group(1));
    }
}
