package dev.tally.server.processing;

import dev.tally.server.web.position.LedgerPositions;
import dev.tally.server.web.position.StalledAccounts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.TreeSet;
import org.axonframework.config.EventProcessingConfiguration;

/**
 * Per processor of this process: {@code tally.processor.lag} (events the ledger holds that the
 * processor has not handled yet; for the Orb and Stripe sync this is the sync lag) and
 * {@code tally.processor.dead.letters}; and {@code tally.account.views.stalled}, the number of
 * accounts whose views stopped at an event the projections cannot apply. All are read from
 * PostgreSQL when scraped, so they agree across instances.
 */
public class ProcessorMetrics implements MeterBinder {

    private final EventProcessingConfiguration processing;
    private final LedgerPositions positions;
    private final DeadLetters deadLetters;
    private final StalledAccounts stalled;

    public ProcessorMetrics(EventProcessingConfiguration processing, LedgerPositions positions,
                            DeadLetters deadLetters, StalledAccounts stalled) {
        this.processing = processing;
        this.positions = positions;
        this.deadLetters = deadLetters;
        this.stalled = stalled;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String group : new TreeSet<>(processing.eventProcessors().keySet())) {
            Gauge.builder("tally.processor.lag", () -> lag(group))
                    .description("Events in the ledger the processor has not handled yet")
                    .baseUnit("events").tag("processor", group).register(registry);
        }
        for (String group : deadLetters.groups()) {
            Gauge.builder("tally.processor.dead.letters", () -> deadLetters.count(group))
                    .description("Events the processor dead-lettered and nobody has retried or discarded")
                    .tag("processor", group).register(registry);
        }
        Gauge.builder("tally.account.views.stalled", stalled::count)
                .description("Accounts whose views stopped at an event the projections cannot apply")
                .register(registry);
    }

    private double lag(String group) {
        long head = positions.eventStoreHead();
        return positions.processedPosition(group).stream().mapToDouble(processed -> Math.max(0, head - processed))
                .findFirst().orElse(head);
    }
}
