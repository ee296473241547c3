package dev.tally.integrations.orb;

import dev.tally.ledger.api.usage.UsageBatchRecorded;
import dev.tally.ledger.api.usage.UsageRecorded;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
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
 * without them (a stored batch of usage is one letter, retried whole); when Orb refuses a request without naming events, the request is halved until the
 * culprit stands alone. Never runs during a replay: a replay must not send usage again.
 */
@ProcessingGroup(OrbUsageForwarder.PROCESSING_GROUP)
public class OrbUsageForwarder {

    public static final String PROCESSING_GROUP = "orb-usage";

    private static final Logger log = LoggerFactory.getLogger(OrbUsageForwarder.class);

    private record Pending(OrbEvent event, EventMessage<?> message) {
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
        List<OrbEvent> events = usages.stream().map(OrbUsageEvents::of).toList();
        if (OrbUnitOfWork.isProcessingDeadLetter()) {
            sendAlone(events);
            return;
        }
        List<Pending> batch = OrbUnitOfWork.<Pending>batch(PROCESSING_GROUP, this::flush);
        events.forEach(event -> batch.add(new Pending(event, message)));
    }

    /**
     * A dead letter retried: the usage of its one stored event, sent again together (Orb answers
     * the ones it already has as duplicates). Any refusal is thrown, so that Axon keeps the letter.
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
        Set<String> deadLettered = new HashSet<>();
        for (int from = 0; from < events.size(); from += eventsPerRequest) {
            send(events.subList(from, Math.min(events.size(), from + eventsPerRequest)), deadLettered);
        }
    }

    /**
     * Sends until every event is ingested or dead-lettered. Each round either succeeds or removes
     * at least one event, so it ends after at most {@code events.size()} rounds per level of halving.
     */
    private void send(List<Pending> events, Set<String> deadLettered) {
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
                    deadLetter(remaining.get(0), rejected, deadLettered);
                } else {
                    int half = remaining.size() / 2;
                    send(remaining.subList(0, half), deadLettered);
                    send(remaining.subList(half, remaining.size()), deadLettered);
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
                    deadLetter(pending, new OrbRejected("ingest", new OrbProblem(null, 400, "Validation failed",
                            "Orb refused event " + pending.event().idempotencyKey(), reasons)), deadLettered);
                }
            }
            if (valid.size() == remaining.size()) {
                throw new IllegalStateException("Orb refused events that were not in the request: "
                        + result.validationFailed().keySet());
            }
            remaining = valid;
        }
    }

    /** The stored event that holds the refused usage becomes the letter, once however many of its entries fail. */
    private void deadLetter(Pending pending, OrbRejected cause, Set<String> deadLettered) {
        Object sequence = OrbSequencing.eventSequence(pending.message());
        log.warn("Usage event {} refused by Orb, dead-lettered: {}", pending.event().idempotencyKey(),
                cause.getMessage());
        if (!deadLettered.add(pending.message().getIdentifier())) {
            return;
        }
        deadLetters.enqueue(sequence, new GenericDeadLetter<>(sequence, pending.message(), cause));
    }
}
