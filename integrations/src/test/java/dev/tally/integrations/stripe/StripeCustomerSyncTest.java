package dev.tally.integrations.stripe;

import dev.tally.ledger.api.account.AccountOpened;
import dev.tally.ledger.api.account.ExternalSystem;
import dev.tally.ledger.api.account.LinkExternalCustomer;
import dev.tally.ledger.api.outcome.CommandOutcome;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

// Goal: a new account gets one Stripe customer and the ledger hears of the link, but a reset or replay of the
// processor never calls Stripe again.
class StripeCustomerSyncTest {

    private final ScriptedStripe stripe = new ScriptedStripe();
    private final List<Object> commandsSent = new ArrayList<>();
    private AnnotationEventHandlerAdapter handler;
    private MapCustomerDirectory directory;

    @BeforeEach
    void setUp() {
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        bus.subscribe(LinkExternalCustomer.class.getName(), (CommandMessage<?> command) -> {
            commandsSent.add(command.getPayload());
            return CommandOutcome.accepted();
        });
        CommandGateway commands = DefaultCommandGateway.builder().commandBus(bus).build();
        directory = new MapCustomerDirectory();
        handler = new AnnotationEventHandlerAdapter(new StripeCustomerSync(stripe, directory, commands));
    }

    private static AccountOpened opened(String accountId) {
        return new AccountOpened(accountId, "Acme", "USD", "plan", 1, Instant.parse("2026-10-01T00:00:00Z"), null,
                "billing@acme.test", Instant.parse("2026-10-01T00:00:00Z"));
    }

    @Test
    void canCreateTheCustomerAndLinkIt() throws Exception {
        handler.handle(new GenericTrackedEventMessage<>(new GlobalSequenceTrackingToken(1),
                GenericEventMessage.asEventMessage(opened("acct-new"))));

        assertThat(stripe.customersCreated).containsExactly("acct-new");
        assertThat(directory.customerOf("acct-new")).contains("cus_acct-new");
        assertThat(commandsSent).containsExactly(new LinkExternalCustomer("acct-new", ExternalSystem.STRIPE, "cus_acct-new"));
    }

    @Test
    void canLinkAKnownCustomerAgainWithoutCreatingAnother() throws Exception {
        directory.remember("acct-known", "cus_earlier");

        handler.handle(new GenericTrackedEventMessage<>(new GlobalSequenceTrackingToken(1),
                GenericEventMessage.asEventMessage(opened("acct-known"))));

        assertThat(stripe.customersCreated).isEmpty();
        assertThat(commandsSent).containsExactly(new LinkExternalCustomer("acct-known", ExternalSystem.STRIPE, "cus_earlier"));
    }

    @Test
    void cannotCallStripeDuringAReplay() throws Exception {
        TrackingToken beforeReset = new GlobalSequenceTrackingToken(100);
        TrackingToken replaying = ReplayToken.createReplayToken(beforeReset, new GlobalSequenceTrackingToken(5));

        handler.handle(new GenericTrackedEventMessage<>(replaying, GenericEventMessage.asEventMessage(opened("acct-old"))));

        assertThat(ReplayToken.isReplay(replaying)).isTrue();
        assertThat(stripe.customersCreated).isEmpty();
        assertThat(commandsSent).isEmpty();
    }
}
