package dev.tally.server.integration.stripe;

import dev.tally.server.integration.webhook.WebhookProperties;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

// Goal: the settings say whether Stripe is on, fall back to documented defaults, and never print a secret.
class StripePropertiesTest {

    @Test
    void cannotPrintTheApiKeyOrTheWebhookSecrets() {
        StripeProperties stripe = new StripeProperties("sk_live_secret", "whsec_secret", null, null, null, null);
        WebhookProperties webhooks = new WebhookProperties("orb_secret");

        assertThat(stripe.toString()).doesNotContain("sk_live_secret").doesNotContain("whsec_secret").contains("(set)");
        assertThat(webhooks.toString()).doesNotContain("orb_secret");
    }

    @Test
    void canTellTheSyncIsOffWithABlankKeyAndFallBackToTheDefaultLimits() {
        StripeProperties off = new StripeProperties(" ", "", null, null, null, null);

        assertThat(off.syncEnabled()).isFalse();
        assertThat(off.webhooksEnabled()).isFalse();
        assertThat(off.retryDelayOrDefault()).isEqualTo(Duration.ofMinutes(1));
        assertThat(off.readTimeoutOrDefault()).isEqualTo(Duration.ofSeconds(30));
    }
}
