package dev.tally.integrations.orb;

import dev.tally.ledger.api.usage.UsageBatchRecorded;
import dev.tally.ledger.api.usage.UsageRecorded;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.deadletter.GenericDeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards recorded usage to Orb's ingest endpoint, a processor batch at a time in requests of at
 * most {@code eventsPerRequest} events. Orb dedups by each event's idempotency key, so a redelivered
 * batch never double counts. Events Orb refuses become dead letters one by one (each usage event is
 * its own sequence, see {@link OrbSequencing#perEvent()}) and the rest of the batch is sent again
 * without them (a stored batch of usage is one letter, holding only its refused usage); when Orb refuses a request without naming events, the request is halved until the
 * culprit stands alone. Never runs during a replay: a replay must not send usage again.
 */
@ProcessingGroup(OrbUsageForwarder.PROCESSING_GROUP)
public class OrbUsageForwarder {

    public static final String PROCESSING_GROUP = "orb-usage";

    private static final Logger log = LoggerFactory.getLogger(OrbUsageForwarder.class);

    private record Pending(OrbEvent event, UsageRecorded usage, EventMessage<?> message) {
    }

    /** The usage events of one stored event that Orb refused in a flush, and the first refusal's cause. */
    private record Refused(EventMessage<?> message, List<UsageRecorded> usages, OrbRejected cause) {
    }

    private final OrbClient client;
    private final SequencedDeadLetterQueue<EventMessage<?>> deadLetters;
    private final int eventsPerRequest;

    public OrbUsageForwarder(OrbClient client, SequencedDeadLetterQueue<EventMessage<?>> deadLetters,
                             int eventsPerRequest) {
        if (eventsPerRequest < 1 || eventsPerRequest > OrbClient.INGEST_EVENTS_PER_REQUEST_MAX) {
            throw new IllegalArgumentException("events per request must be within 1.."
                    + OrbClient.INGEST_EVENTS_PER_REQUEST_MAX + ", got " + eventsPerRequest);
        }
        this.client = client;
        this.deadLetters = deadLetters;
        this.eventsPerRequest = eventsPerRequest;
    }

    /**
     * A reset is allowed (an operator may rebuild the processor's position) but sends nothing again:
     * every handler here is {@code @DisallowReplay}, and this handler exists so that Axon lets the
     * processor be reset at all (it refuses when no handler of a group accepts a replay).
     */
    @ResetHandler
    void onReset() {
        log.info("Orb usage processor reset: replayed events are not sent to Orb again");
    }

    @EventHandler
    @DisallowReplay
    void on(UsageRecorded usage, EventMessage<?> message) {
        forward(List.of(usage), message);
    }

    @EventHandler
    @DisallowReplay
    void on(UsageBatchRecorded batch, EventMessage<?> message) {
        forward(batch.usages(), message);
    }

    private void forward(List<UsageRecorded> usages, EventMessage<?> message) {
        if (OrbUnitOfWork.isProcessingDeadLetter()) {
            sendAlone(usages.stream().map(OrbUsageEvents::of).toList());
            return;
        }
        List<Pending> batch = OrbUnitOfWork.<Pending>batch(PROCESSING_GROUP, this::flush);
        usages.forEach(usage -> batch.add(new Pending(OrbUsageEvents.of(usage), usage, message)));
    }

    /**
     * A dead letter retried: the usage events Orb refused, of one stored event, sent again together.
     * Any refusal is thrown, so that Axon keeps the letter.
     */
    private void sendAlone(List<OrbEvent> events) {
        for (int from = 0; from < events.size(); from += eventsPerRequest) {
            List<OrbEvent> request = events.subList(from, Math.min(events.size(), from + eventsPerRequest));
            OrbIngestResult result = client.ingestAgain(request, java.util.UUID.randomUUID().toString());
            if (!result.allIngested()) {
                List<String> reasons = result.validationFailed().values().stream().flatMap(List::stream).toList();
                throw new OrbRejected("ingest", new OrbProblem(null, 400, "Validation failed",
                        "events " + result.validationFailed().keySet() + " still fail validation", reasons));
            }
        }
    }

    private void flush(List<Pending> batch) {
        // Identical events (a redelivery inside one batch) go once: Orb refuses a batch repeating a key.
        Map<String, Pending> unique = new LinkedHashMap<>();
        batch.forEach(pending -> unique.putIfAbsent(pending.event().idempotencyKey(), pending));
        List<Pending> events = new ArrayList<>(unique.values());
        Map<String, Refused> refused = new LinkedHashMap<>();
        for (int from = 0; from < events.size(); from += eventsPerRequest) {
            send(events.subList(from, Math.min(events.size(), from + eventsPerRequest)), refused);
        }
        refused.values().forEach(this::deadLetter);
    }

    /**
     * Sends until every event is ingested or dead-lettered. Each round either succeeds or removes
     * at least one event, so it ends after at most {@code events.size()} rounds per level of halving.
     */
    private void send(List<Pending> events, Map<String, Refused> refused) {
        List<Pending> remaining = new ArrayList<>(events);
        while (!remaining.isEmpty()) {
            OrbIngestResult result;
            try {
                result = client.ingest(remaining.stream().map(Pending::event).toList());
            } catch (OrbRejected rejected) {
                if (rejected.isConfigurationError()) {
                    throw rejected;
                }
                if (remaining.size() == 1) {
                    refuse(remaining.get(0), rejected, refused);
                } else {
                    int half = remaining.size() / 2;
                    send(remaining.subList(0, half), refused);
                    send(remaining.subList(half, remaining.size()), refused);
                }
                return;
            }
            if (result.allIngested()) {
                return;
            }
            List<Pending> valid = new ArrayList<>();
            for (Pending pending : remaining) {
                List<String> reasons = result.validationFailed().get(pending.event().idempotencyKey());
                if (reasons == null) {
                    valid.add(pending);
                } else {
                    refuse(pending, new OrbRejected("ingest", new OrbProblem(null, 400, "Validation failed",
                            "Orb refused event " + pending.event().idempotencyKey(), reasons)), refused);
                }
            }
            if (valid.size() == remaining.size()) {
                throw new IllegalStateException("Orb refused events that were not in the request: "
                        + result.validationFailed().keySet());
            }
            remaining = valid;
        }
    }

    private static void refuse(Pending pending, OrbRejected cause, Map<String, Refused> refused) {
        log.warn("Usage event {} refused by Orb, dead-lettered: {}", pending.event().idempotencyKey(),
                cause.getMessage());
        refused.computeIfAbsent(pending.message().getIdentifier(),
                        id -> new Refused(pending.message(), new ArrayList<>(), cause))
                .usages().add(pending.usage());
    }

    /**
     * One letter per stored event, holding only the usage events Orb refused: a retry sends those,
     * not the ones Orb took (which by then may be past Orb's grace period and refused for that).
     * The letter keeps the stored event's identifier, its sequence.
     */
    private void deadLetter(Refused refused) {
        EventMessage<?> message = refused.message();
        if (message.getPayload() instanceof UsageBatchRecorded batch && refused.usages().size() < batch.usages().size()
                && message instanceof DomainEventMessage<?> stored) {
            Object payload = refused.usages().size() == 1 ? refused.usages().get(0)
                    : new UsageBatchRecorded(batch.accountId(), refused.usages());
            message = new GenericDomainEventMessage<>(stored.getType(), stored.getAggregateIdentifier(),
                    stored.getSequenceNumber(), payload, stored.getMetaData(), stored.getIdentifier(),
                    stored.getTimestamp());
        }
        Object sequence = OrbSequencing.eventSequence(message);
        deadLetters.enqueue(sequence, new GenericDeadLetter<>(sequence, message, refused.cause()));
    }
}
