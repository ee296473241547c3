package dev.tally.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.testing.Api;
import dev.tally.server.testing.Eventually;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.ServerTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

// Goal: the expiry scheduler records CreditExpired for a grant whose expiresAt passed, forfeiting its remainder
// to the right ledger account, and the balance and journal follow.
class CreditExpiryEndToEndTest extends ServerTest {

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void expiredPromotionalRemainderIsForfeitedOnceByTheScheduler() {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        String base = "/v1/accounts/" + ledger.accountId;
        // The server's clock stands still until the test moves it past the expiry: however slow the machine,
        // the usage is recorded before the grant expires, and the grant expires only when the test says so.
        Instant now = clock().freeze();
        Instant expiresAt = now.plusSeconds(1);
        assertThat(api().post(base + "/credits", ADMIN_KEY, """
                {"grantId":"short","amount":"10","kind":"promotional","effectiveAt":"2026-01-01T00:00:00Z","expiresAt":"%s"}"""
                .formatted(expiresAt)).status()).isEqualTo(201);
        // 1000 × 0.002 = 2.00 drawn before the expiry; 8.00 remains to forfeit.
        Api.Response usage = ledger.usage("before-expiry", "gpu_seconds", "1000", now.minus(1, ChronoUnit.MINUTES));
        assertThat(ledger.balance(usage.position()).body().get("creditBalance").asText()).isEqualTo("8.00");
        assertThat(expiries(ledger.accountId)).as("nothing expires before its time").isZero();

        clock().advance(Duration.ofSeconds(2));
        Eventually.awaitTrue("the scheduler expires the grant", () -> expiries(ledger.accountId) == 1);
        long position = jdbc.queryForObject(
                "SELECT max(globalIndex) FROM events.domain_event_entry WHERE aggregateIdentifier = ?", Long.class,
                ledger.accountId);
        Api.Response balance = ledger.balance(position);
        assertThat(balance.body().get("creditBalance").asText()).isEqualTo("0.00");
        assertThat(balance.body().get("grants").get(0).get("status").asText()).isEqualTo("expired");
        assertThat(balance.body().get("grants").get(0).get("remaining").asText()).isEqualTo("0.00");

        var journal = api().get(base + "/journal?minPosition=" + position, ADMIN_KEY).body().get("items");
        boolean forfeitedToPromotions = false;
        for (var item : journal) {
            if (item.get("ledgerAccount").asText().equals("promotions") && item.get("credit").asText().equals("8.00")) {
                forfeitedToPromotions = true;
            }
        }
        assertThat(forfeitedToPromotions).as("Dr credits 8 / Cr promotions 8").isTrue();
        assertThat(expiries(ledger.accountId)).as("expired once").isEqualTo(1);
    }

    private int expiries(String accountId) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM events.domain_event_entry
                WHERE aggregateIdentifier = ? AND payloadType = 'dev.tally.ledger.api.credit.CreditExpired'""",
                Integer.class, accountId);
    }
}
