package dev.tally.integrations.stripe;

import dev.tally.ledger.api.account.AccountOpened;
import dev.tally.ledger.api.account.ExternalSystem;
import dev.tally.ledger.api.account.LinkExternalCustomer;
import dev.tally.ledger.api.outcome.CommandOutcome;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every new account a Stripe customer and records the link in the ledger. It calls Stripe,
 * so it must never run again when its processor is reset or replayed. The server assigns it to
 * the processing group {@link #PROCESSING_GROUP}, a pooled streaming processor of its own.
 */
public class StripeCustomerSync {

    public static final String PROCESSING_GROUP = "stripe-customers";

    private static final Logger log = LoggerFactory.getLogger(StripeCustomerSync.class);

    private final StripeGateway stripe;
    private final StripeCustomerDirectory directory;
    private final CommandGateway commands;

    public StripeCustomerSync(StripeGateway stripe, StripeCustomerDirectory directory, CommandGateway commands) {
        this.stripe = stripe;
        this.directory = directory;
        this.commands = commands;
    }

    @EventHandler
    @DisallowReplay
    void on(AccountOpened opened) {
        String accountId = opened.accountId();
        String customerId = directory.customerOf(accountId)
                .orElseGet(() -> stripe.createCustomer(accountId, opened.name(), opened.email()));
        directory.remember(accountId, customerId);
        CommandOutcome outcome = commands.sendAndWait(
                new LinkExternalCustomer(accountId, ExternalSystem.STRIPE, customerId));
        if (outcome != null && outcome.isRejected()) {
            // Another Stripe customer is already linked: a human must decide which one bills the account.
            log.warn("account {} not linked to Stripe customer {}: {} {}", accountId, customerId, outcome.code(),
                    outcome.detail());
        }
    }
}
