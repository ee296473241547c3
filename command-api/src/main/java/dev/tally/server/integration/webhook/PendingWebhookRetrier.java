package dev.tally.server.integration.webhook;

import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Tries pending webhook events again now and then, so that one left waiting (a refund whose payment
 * arrived by another way, or a ledger that was briefly unreachable) applies even if Stripe sends
 * nothing more. Applying twice is harmless: every command carries Stripe-derived ids.
 */
@Component
@ConditionalOnTallyRole(TallyRole.API)
public class PendingWebhookRetrier {

    private static final Logger log = LoggerFactory.getLogger(PendingWebhookRetrier.class);

    private final StripeWebhooks stripe;

    public PendingWebhookRetrier(StripeWebhooks stripe) {
        this.stripe = stripe;
    }

    @Scheduled(initialDelayString = "${tally.webhooks.retry-interval:PT1M}",
            fixedDelayString = "${tally.webhooks.retry-interval:PT1M}")
    public void retryPending() {
        try {
            stripe.retryPending();
        } catch (RuntimeException failure) {
            log.warn("retrying pending webhook events failed; trying again on the next run", failure);
        }
    }
}
