package dev.tally.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.testing.Api;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.ServerTest;
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
}
