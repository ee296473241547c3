package dev.tally.server.integration.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.integrations.stripe.StripeGateway;
import dev.tally.integrations.stripe.webhook.JdbcStripePaymentLinks;
import dev.tally.integrations.stripe.webhook.StripeEventTranslator;
import dev.tally.integrations.stripe.webhook.WebhookOutcome;
import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * Applies verified Stripe events through the inbox: a known event is not applied again, an event
 * that cannot apply yet stays pending, and every applied event gives the pending ones another try
 * (an out-of-order refund applies as soon as its payment is in).
 */
@Component
@ConditionalOnTallyRole(TallyRole.API)
public class StripeWebhooks {

    public static final String SOURCE = "stripe";
    /** Pending events tried again per pass; the periodic retry takes the rest. */
    static final int MAX_PENDING_PER_PASS = 100;
    /**
     * How long an event may wait for what it needs (a refund for its payment): Stripe retries a delivery
     * for three days, so a week covers every late fact; what is still pending then is not Tally's.
     */
    static final java.time.Duration PENDING_MAX_AGE = java.time.Duration.ofDays(7);

    private static final Logger log = LoggerFactory.getLogger(StripeWebhooks.class);

    private final WebhookInbox inbox;
    private final StripeEventTranslator translator;
    private final ObjectMapper json = new ObjectMapper();

    public StripeWebhooks(WebhookInbox inbox, CommandGateway commands, JdbcTemplate jdbc,
                          ObjectProvider<StripeGateway> stripe) {
        this.inbox = inbox;
        this.translator = new StripeEventTranslator(commands, new JdbcStripePaymentLinks(jdbc),
                Optional.ofNullable(stripe.getIfAvailable()));
    }

    /** Handles one delivery; answers what became of the event (for a known event, what became of it before). */
    public WebhookOutcome.Status receive(String eventId, String type, String payload) {
        WebhookInbox.Entry entry = inbox.receive(SOURCE, eventId, type, payload);
        if (!entry.isPending()) {
            log.info("Stripe event {} ({}) delivered again; already {}", eventId, type, entry.status());
            return entry.status();
        }
        WebhookOutcome outcome = apply(entry);
        if (outcome.status() == WebhookOutcome.Status.APPLIED) {
            retryPending();
        }
        return outcome.status();
    }

    /** Tries the pending events again, oldest first; gives up on those pending longer than {@link #PENDING_MAX_AGE}. */
    public void retryPending() {
        int abandoned = inbox.abandonOlderThan(SOURCE, PENDING_MAX_AGE);
        if (abandoned > 0) {
            log.warn("gave up on {} Stripe event(s) pending for more than {} (see integrations.webhook_inbox)",
                    abandoned, PENDING_MAX_AGE);
        }
        for (WebhookInbox.Entry entry : inbox.pending(SOURCE, MAX_PENDING_PER_PASS)) {
            apply(entry);
        }
    }

    private WebhookOutcome apply(WebhookInbox.Entry entry) {
        WebhookOutcome outcome;
        try {
            outcome = translator.apply(json.readTree(entry.payload()));
        } catch (Exception failure) {
            // The ledger or Stripe was unreachable: keep it for the next try rather than lose it.
            log.warn("Stripe event {} ({}) could not be applied; kept pending", entry.eventId(), entry.type(), failure);
            outcome = WebhookOutcome.pending("failed: " + failure.getClass().getSimpleName());
        }
        inbox.record(entry, outcome);
        log.info("Stripe event {} ({}): {} {}", entry.eventId(), entry.type(), outcome.status(), outcome.detail());
        return outcome;
    }
}
