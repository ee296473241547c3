package dev.tally.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.ServerTest;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

// Goal: the whole write path over HTTP gives the exact real-time balance and a balanced journal.
class WritePathEndToEndTest extends ServerTest {

    @Test
    void usageCreditsAndPaymentsGiveExactBalance() {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        Instant when = LedgerScenario.recently();
        Api.Response grant = api().post("/v1/accounts/" + ledger.accountId + "/credits", ADMIN_KEY, """
                {"grantId":"promo","amount":"5","kind":"promotional","effectiveAt":"2026-01-01T00:00:00Z"}""");
        assertThat(grant.status()).as(grant.raw().body()).isEqualTo(201);

        Api.Response images = ledger.usage("img-1", "images", "150", when);
        assertThat(images.body().get("results").get(0).get("status").asText()).isEqualTo("accepted");
        // 100 × 0.04 + 50 × 0.02 = 5.00, all of it funded by the promotional grant.
        Api.Response gpu = ledger.usage("gpu-1", "gpu_seconds", "1234.5", when);
        // 1234.5 × 0.002 = 2.469, uncovered.
        Api.Response payment = api().post("/v1/accounts/" + ledger.accountId + "/payments", ADMIN_KEY, """
                {"paymentId":"pay-1","amount":"1.5","method":"card"}""");
        assertThat(payment.status()).isEqualTo(201);
        assertThat(payment.position()).isGreaterThan(gpu.position());

        Api.Response balance = ledger.balance(payment.position());
        assertThat(balance.status()).isEqualTo(200);
        assertThat(balance.body().get("creditBalance").asText()).isEqualTo("0.00");
        assertThat(balance.body().get("unbilled").asText()).isEqualTo("2.469");
        assertThat(balance.body().get("unappliedCash").asText()).isEqualTo("1.50");
        assertThat(balance.body().get("amountDue").asText()).isEqualTo("0.969");
        assertThat(balance.body().get("grants").get(0).get("remaining").asText()).isEqualTo("0.00");

        Api.Response journal = api().get("/v1/accounts/" + ledger.accountId + "/journal?minPosition="
                + payment.position(), ADMIN_KEY);
        java.math.BigDecimal debits = java.math.BigDecimal.ZERO;
        java.math.BigDecimal credits = java.math.BigDecimal.ZERO;
        for (var item : journal.body().get("items")) {
            debits = debits.add(new java.math.BigDecimal(item.get("debit").asText()));
            credits = credits.add(new java.math.BigDecimal(item.get("credit").asText()));
        }
        assertThat(debits).isEqualByComparingTo(credits).isEqualByComparingTo("13.969");
    }

    @Test
    void aBatchOfUsageIsOneStoredEventThatEveryViewReadsUsageByUsage() {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        LedgerScenario other = LedgerScenario.open(api(), ADMIN_KEY);
        Instant when = LedgerScenario.recently();
        String event = "{\"idempotencyKey\":\"%s\",\"accountId\":\"%s\",\"meter\":\"%s\",\"quantity\":\"%s\","
                + "\"timestamp\":\"" + when + "\"}";
        Api.Response batch = api().post("/v1/usage", ADMIN_KEY, "{\"events\":["
                + String.join(",", event.formatted("b-1", ledger.accountId, "images", "60"),
                        event.formatted("o-1", other.accountId, "gpu_seconds", "1000"),
                        event.formatted("b-2", ledger.accountId, "images", "60"),
                        event.formatted("b-3", ledger.accountId, "gpu_seconds", "500")) + "]}");
        assertThat(batch.status()).as(batch.raw().body()).isEqualTo(200);
        assertThat(batch.body().get("results").findValuesAsText("status")).containsOnly("accepted");

        // 60 × 0.04 = 2.40; then 40 × 0.04 + 20 × 0.02 = 2.00; then 500 × 0.002 = 1.00
        Api.Response balance = ledger.balance(batch.position());
        assertThat(new BigDecimal(balance.body().get("unbilled").asText())).isEqualByComparingTo("5.40");
        assertThat(new BigDecimal(other.balance(batch.position()).body().get("unbilled").asText()))
                .isEqualByComparingTo("2.00");
        Api.Response usage = api().get("/v1/accounts/" + ledger.accountId + "/usage?meter=images&minPosition="
                + batch.position(), ADMIN_KEY);
        assertThat(new BigDecimal(usage.body().get("items").get(0).get("quantity").asText())).isEqualByComparingTo("120");
        assertThat(new BigDecimal(usage.body().get("items").get(0).get("accrued").asText())).isEqualByComparingTo("4.40");
        assertThat(usage.body().get("items").get(0).get("events").asLong()).isEqualTo(2);

        Api.Response journal = api().get("/v1/accounts/" + ledger.accountId + "/journal?minPosition="
                + batch.position(), ADMIN_KEY);
        // One entry for the stored batch: its usage events' postings summed per ledger account and side.
        JsonNode postings = journal.body().get("items");
        assertThat(postings.findValuesAsText("ledgerAccount")).containsExactly("receivable:" + ledger.accountId,
                "revenue:usage:images", "revenue:usage:gpu_seconds");
        assertThat(new BigDecimal(postings.get(0).get("debit").asText())).isEqualByComparingTo("5.40");
        assertThat(new BigDecimal(postings.get(1).get("credit").asText())).isEqualByComparingTo("4.40");
        assertThat(new BigDecimal(postings.get(2).get("credit").asText())).isEqualByComparingTo("1.00");
        assertThat(postings.findValuesAsText("description")).containsExactly("usage (3 events)",
                "usage images (2 events)", "usage gpu_seconds (1 event)");
        assertThat(postings.findValuesAsText("eventId")).containsOnly(postings.get(0).get("eventId").asText());

        JsonNode trail = api().get("/v1/accounts/" + ledger.accountId + "/audit?type=UsageBatchRecorded",
                ADMIN_KEY).body().get("items");
        assertThat(trail).hasSize(1);
        assertThat(trail.get(0).get("payload").get("usages").findValuesAsText("idempotencyKey"))
                .containsExactly("b-1", "b-2", "b-3");
        assertThat(api().get("/v1/accounts/" + other.accountId + "/audit?type=UsageRecorded", ADMIN_KEY).body()
                .get("items")).hasSize(1);
    }
}
