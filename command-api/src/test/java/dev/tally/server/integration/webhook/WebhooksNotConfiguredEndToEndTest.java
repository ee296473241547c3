package dev.tally.server.integration.webhook;

import dev.tally.integrations.stripe.StripeCustomerSync;
import dev.tally.integrations.stripe.StripeGateway;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

// Goal: without Stripe and Orb settings the server runs no Stripe sync and answers webhooks with a clear 503
// problem, never a stack trace.
class WebhooksNotConfiguredEndToEndTest extends ServerTest {

    @Autowired
    private ApplicationContext context;

    @Test
    void cannotReceiveWebhooksWithoutTheirSecrets() {
        Api.Response stripe = api().post("/webhooks/stripe", null, "{\"id\":\"evt_1\"}", "Stripe-Signature", "t=1,v1=00");
        Api.Response orb = api().post("/webhooks/orb", null, "{\"id\":\"o1\"}");

        assertThat(stripe.status()).isEqualTo(503);
        assertThat(stripe.code()).isEqualTo("webhook_not_configured");
        assertThat(stripe.contentType()).startsWith("application/problem+json");
        assertThat(orb.status()).isEqualTo(503);
        assertThat(orb.code()).isEqualTo("webhook_not_configured");
    }

    @Test
    void cannotSyncWithStripeWithoutAnApiKey() {
        assertThat(context.getBeanNamesForType(StripeGateway.class)).isEmpty();
        assertThat(context.getBeanNamesForType(StripeCustomerSync.class)).isEmpty();
    }
}
