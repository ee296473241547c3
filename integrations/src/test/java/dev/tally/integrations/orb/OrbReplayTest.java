package dev.tally.integrations.orb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ledger.api.account.AccountOpened;
import dev.tally.ledger.api.credit.CreditExpired;
import dev.tally.ledger.api.credit.CreditGranted;
import dev.tally.ledger.api.credit.CreditKind;
import dev.tally.ledger.api.credit.CreditVoided;
import dev.tally.ledger.api.money.Money;
import dev.tally.ledger.api.usage.UsageRecorded;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericTrackedDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.deadletter.InMemorySequencedDeadLetterQueue;
import dev.tally.integrations.orb.fake.FakeOrb;
import java.util.Optional;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

// Goal: no Orb handler calls Orb for a replayed event (Orb must never hear a fact twice), yet each does for a live one.
class OrbReplayTest {

    private static final Money TEN = Money.of("USD", "10");

    /** Orb's "now", by which it judges event timestamps: the test's, not the day it runs. */
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-10T12:00:00Z"), ZoneOffset.UTC);
    /** When the events happened: a minute before Orb's now, made per test from the test's clock. */
    private final Instant at = clock.instant().minusSeconds(60);
    private final FakeOrb orb = FakeOrb.start(clock);
    private final OrbClient client = new OrbClient(OrbClientSettings.of(orb.baseUrl(), FakeOrb.API_KEY),
            OrbRetryListener.NONE, clock);
    private final InMemorySequencedDeadLetterQueue<EventMessage<?>> queue = InMemorySequencedDeadLetterQueue.defaultQueue();

    @AfterEach
    void stop() {
        orb.close();
    }

    @Test
    void theUsageForwarderSendsLiveUsageButNotReplayedUsage() throws Exception {
        AnnotationEventHandlerAdapter forwarder = new AnnotationEventHandlerAdapter(
                new OrbUsageForwarder(client, queue, 500));
        UsageRecorded usage = new UsageRecorded("acct-1", "k1", "gpu_seconds", BigDecimal.TEN, at, Map.of(), at,
                "plan", 1, BigDecimal.TEN, TEN, null, false, at);

        handleInUnitOfWork(forwarder, replayed(usage));
        assertThat(orb.received()).isEmpty();

        handleInUnitOfWork(forwarder, live(usage));
        assertThat(orb.state().total("acct-1", "gpu_seconds", "quantity")).isEqualByComparingTo("10");
    }

    @Test
    void theAccountSyncCallsOrbForNoReplayedEvent() throws Exception {
        orb.state().seedCustomer("acct-1", "Acme", "ops@acme.test");
        AnnotationEventHandlerAdapter sync = new AnnotationEventHandlerAdapter(
                new OrbAccountSync(client, null, new NoBlocks(), queue));
        List<Object> events = List.of(
                new AccountOpened("acct-1", "Acme", "USD", "plan", 1, at, null, null, at),
                new CreditGranted("acct-1", "g1", TEN, CreditKind.PREPAID, at, null, 0, null, at),
                new CreditVoided("acct-1", "g1", CreditKind.PREPAID, TEN, null, at),
                new CreditExpired("acct-1", "g1", CreditKind.PREPAID, TEN, at, at));
        for (Object event : events) {
            handleInUnitOfWork(sync, replayed(event));
        }
        assertThat(orb.received()).isEmpty();

        handleInUnitOfWork(sync, live(events.get(1)));
        assertThat(orb.state().ledgerEntriesOf("acct-1")).extracting(e -> e.entryType()).containsExactly("increment");
    }

    private static void handleInUnitOfWork(AnnotationEventHandlerAdapter handler, EventMessage<?> message) {
        DefaultUnitOfWork.startAndGet(message).execute(() -> {
            try {
                handler.handle(message);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static EventMessage<?> live(Object payload) {
        return tracked(payload, new GlobalSequenceTrackingToken(5));
    }

    private static EventMessage<?> replayed(Object payload) {
        return tracked(payload, ReplayToken.createReplayToken(new GlobalSequenceTrackingToken(100),
                new GlobalSequenceTrackingToken(5)));
    }

    private static EventMessage<?> tracked(Object payload, TrackingToken token) {
        return new GenericTrackedDomainEventMessage<>(token,
                new GenericDomainEventMessage<>("Account", "acct-1", 3, payload));
    }

    /** No grant has a block yet, and recording one is not this test's concern. */
    private static final class NoBlocks extends OrbCreditBlocks {

        NoBlocks() {
            super(null);
        }

        @Override
        public Optional<Block> find(String accountId, String grantId) {
            return Optional.empty();
        }

        @Override
        public void recordIncrement(String accountId, String grantId, String blockId, String entryId) {
        }
    }
}
