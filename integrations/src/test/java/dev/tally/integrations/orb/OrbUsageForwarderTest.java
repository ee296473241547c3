package dev.tally.integrations.orb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.integrations.orb.fake.FakeOrb;
import dev.tally.ledger.api.money.Money;
import dev.tally.ledger.api.usage.UsageBatchRecorded;
import dev.tally.ledger.api.usage.UsageRecorded;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.deadletter.InMemorySequencedDeadLetterQueue;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

// Goal: one processor batch goes to Orb in capped requests; refused events are parked one by one and never hold up the rest.
class OrbUsageForwarderTest {

    /** Orb's "now", by which it judges event timestamps: the test's, not the day it runs. */
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-10T12:00:00Z"), ZoneOffset.UTC);
    /** When the usage happened: a minute before Orb's now, made per test from the test's clock. */
    private final Instant now = clock.instant().minusSeconds(60);
    private final FakeOrb orb = FakeOrb.start(clock);
    private final InMemorySequencedDeadLetterQueue<EventMessage<?>> queue = InMemorySequencedDeadLetterQueue.defaultQueue();

    @AfterEach
    void stop() {
        orb.close();
    }

    @Test
    void aBatchGoesOutInRequestsOfAtMostTheConfiguredSize() {
        forwardInOneBatch(forwarder(FakeOrb.API_KEY, 2),
                usage("a", 1, now), usage("b", 2, now), usage("c", 3, now), usage("d", 4, now), usage("e", 5, now));
        assertThat(orb.receivedCount("POST", "/v1/ingest")).isEqualTo(3);
        assertThat(orb.state().total("acct-1", "api_calls", "quantity")).isEqualByComparingTo("15");
    }

    @Test
    void eventsOrbRefusesAreParkedEachInItsOwnSequenceAndTheValidOnesAreSentAgain() {
        List<EventMessage<?>> messages = List.of(usage("good-1", 1, now),
                usage("too-old", 2, now.minus(Duration.ofDays(5))), usage("good-2", 3, now),
                usage("too-new", 4, now.plus(Duration.ofHours(1))));
        forwardInOneBatch(forwarder(FakeOrb.API_KEY, 500), messages.toArray(EventMessage[]::new));

        assertThat(orb.state().eventsOf("acct-1")).extracting(e -> e.idempotencyKey())
                .containsExactlyInAnyOrder("acct-1/good-1", "acct-1/good-2");
        assertThat(queue.amountOfSequences()).isEqualTo(2);
        assertThat(queue.contains(messages.get(1).getIdentifier())).isTrue();
        assertThat(queue.contains(messages.get(3).getIdentifier())).isTrue();
    }

    @Test
    void aStoredBatchSendsEachOfItsUsageEventsAndIsParkedOnceWhenSomeAreRefused() {
        EventMessage<?> mixed = batch(recorded("b-good", 1, now), recorded("b-old-1", 2, now.minus(Duration.ofDays(5))),
                recorded("b-old-2", 3, now.minus(Duration.ofDays(6))), recorded("b-good-2", 4, now));
        EventMessage<?> clean = batch(recorded("c-1", 5, now), recorded("c-2", 6, now));
        forwardInOneBatch(forwarder(FakeOrb.API_KEY, 3), mixed, clean);

        assertThat(orb.state().eventsOf("acct-1")).extracting(e -> e.idempotencyKey())
                .containsExactlyInAnyOrder("acct-1/b-good", "acct-1/b-good-2", "acct-1/c-1", "acct-1/c-2");
        assertThat(queue.amountOfSequences()).isEqualTo(1);
        assertThat(queue.sequenceSize(mixed.getIdentifier())).as("one letter for the stored event").isEqualTo(1);
        // The letter holds only what Orb refused, so that its retry does not send the accepted usage again.
        Object parked = queue.deadLetterSequence(mixed.getIdentifier()).iterator().next().message().getPayload();
        assertThat(UsageBatchRecorded.usagesIn(parked)).extracting(UsageRecorded::idempotencyKey)
                .containsExactly("b-old-1", "b-old-2");
    }

    @Test
    void aRequestRefusedWithoutNamingEventsIsHalvedUntilTheCulpritStandsAlone() {
        orb.state().batchCap(1);
        forwardInOneBatch(forwarder(FakeOrb.API_KEY, 4),
                usage("a", 1, now), usage("b", 2, now), usage("c", 3, now));
        assertThat(orb.state().total("acct-1", "api_calls", "quantity")).isEqualByComparingTo("6");
        assertThat(queue.amountOfSequences()).isZero();
    }

    @Test
    void aWrongApiKeyHoldsTheWholeBatchBackInsteadOfParkingIt() {
        OrbUsageForwarder forwarder = forwarder("wrong", 500);
        assertThatThrownBy(() -> forwardInOneBatch(forwarder, usage("a", 1, now))).isInstanceOf(OrbRejected.class);
        assertThat(queue.amountOfSequences()).isZero();
    }

    private OrbUsageForwarder forwarder(String apiKey, int eventsPerRequest) {
        OrbClientSettings settings = OrbClientSettings.of(orb.baseUrl(), apiKey)
                .withRetries(0, Duration.ofMillis(10), Duration.ofMillis(10));
        return new OrbUsageForwarder(new OrbClient(settings, OrbRetryListener.NONE, clock), queue,
                eventsPerRequest);
    }

    /** All events in one unit of work, as a processor batch: the forwarder sends them when it commits. */
    private static void forwardInOneBatch(OrbUsageForwarder forwarder, EventMessage<?>... messages) {
        AnnotationEventHandlerAdapter handler = new AnnotationEventHandlerAdapter(forwarder);
        DefaultUnitOfWork.startAndGet(messages[0]).execute(() -> {
            for (EventMessage<?> message : messages) {
                try {
                    handler.handle(message);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
    }

    private static EventMessage<?> usage(String key, int quantity, Instant at) {
        return new GenericDomainEventMessage<>("Account", "acct-1", 1, recorded(key, quantity, at));
    }

    private static EventMessage<?> batch(UsageRecorded... usages) {
        return new GenericDomainEventMessage<>("Account", "acct-1", 1, new UsageBatchRecorded("acct-1", List.of(usages)));
    }

    private static UsageRecorded recorded(String key, int quantity, Instant at) {
        return new UsageRecorded("acct-1", key, "api_calls", BigDecimal.valueOf(quantity), at,
                Map.of("region", "eu"), at, "plan", 1, BigDecimal.valueOf(quantity), Money.of("USD", "0"), null,
                false, at);
    }
}
