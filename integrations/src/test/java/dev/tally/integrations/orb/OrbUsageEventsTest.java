package dev.tally.integrations.orb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ledger.api.account.AccountOpened;
import dev.tally.ledger.api.money.Money;
import dev.tally.ledger.api.usage.UsageRecorded;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

// Goal: what Tally tells Orb about a usage event and an account is exactly what section A asks for.
class OrbUsageEventsTest {

    private static final Instant AT = Instant.parse("2026-11-20T10:15:30Z");

    @Test
    void aUsageEventKeepsItsFlatPropertiesAndCarriesItsQuantityAsANumber() {
        Map<String, Object> properties = Map.of("region", "eu", "gpu", 2, "spot", true,
                "nested", Map.of("a", 1), "list", List.of(1, 2), "quantity", "ignored");
        UsageRecorded usage = new UsageRecorded("acct-1", "key-9", "gpu_seconds", new BigDecimal("12.5"), AT,
                properties, AT, "plan", 1, new BigDecimal("12.5"), Money.of("USD", "0.025"), null, false, AT);

        OrbEvent event = OrbUsageEvents.of(usage);

        assertThat(event.idempotencyKey()).isEqualTo("acct-1/key-9");
        assertThat(event.externalCustomerId()).isEqualTo("acct-1");
        assertThat(event.eventName()).isEqualTo("gpu_seconds");
        assertThat(event.timestamp()).isEqualTo(AT);
        assertThat(event.properties()).containsOnlyKeys("region", "gpu", "spot", "quantity");
        assertThat(event.properties().get("quantity")).isEqualTo(new BigDecimal("12.5"));
    }

    @Test
    void anAccountWithoutEmailGetsAnAddressThatCanNeverReceiveMail() {
        AccountOpened without = new AccountOpened("acct:1@x", "Acme", "USD", "plan", 1, AT, null, null, AT);
        AccountOpened with = new AccountOpened("acct-2", "Acme", "USD", "plan", 1, AT, null, "billing@acme.test", AT);
        assertThat(OrbAccountSync.emailOf(without)).isEqualTo("account-acct-1-x@no-email.tally.invalid");
        assertThat(OrbAccountSync.emailOf(with)).isEqualTo("billing@acme.test");
    }
}
