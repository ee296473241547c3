package dev.tally.server.axon;

import dev.tally.ledger.api.plan.PlanPublished;
import dev.tally.ledger.api.plan.PlanStreams;
import dev.tally.ledger.plan.PlanCatalog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.eventsourcing.eventstore.EventStore;

/**
 * Plan versions read from the plan's own event stream. Versions are cached briefly because
 * every usage batch asks; a version published on this server replaces the cache entry at once
 * (subscribing handler), one published on another server is seen within {@link #TTL}.
 */
public class EventStorePlanCatalog implements PlanCatalog {

    static final Duration TTL = Duration.ofSeconds(1);

    private record Entry(List<PlanPublished> versions, Instant loadedAt) {
    }

    private final EventStore eventStore;
    private final Clock clock;
    private final ConcurrentMap<String, Entry> cache = new ConcurrentHashMap<>();

    public EventStorePlanCatalog(EventStore eventStore, Clock clock) {
        this.eventStore = eventStore;
        this.clock = clock;
    }

    @Override
    public List<PlanPublished> versionsOf(String planId) {
        if (planId == null) {
            return List.of();
        }
        Instant now = clock.instant();
        Entry entry = cache.get(planId);
        if (entry == null || entry.loadedAt().plus(TTL).isBefore(now)) {
            entry = new Entry(load(planId), now);
            cache.put(planId, entry);
        }
        return entry.versions();
    }

    private List<PlanPublished> load(String planId) {
        return eventStore.readEvents(PlanStreams.idOf(planId)).asStream()
                .map(message -> message.getPayload())
                .filter(PlanPublished.class::isInstance)
                .map(PlanPublished.class::cast)
                .toList();
    }

    @EventHandler
    void on(PlanPublished event) {
        cache.remove(event.planId());
        // A read between this handler and the commit could cache the versions without the new one.
        CurrentUnitOfWork.ifStarted(unitOfWork -> unitOfWork.afterCommit(committed -> cache.remove(event.planId())));
    }
}
