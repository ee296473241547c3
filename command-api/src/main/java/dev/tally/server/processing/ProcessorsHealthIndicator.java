package dev.tally.server.processing;

import java.util.List;
import java.util.TreeSet;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Part of readiness in a process that runs processors: out of service while a whole processor of
 * it is stopped, since nothing it owns moves then. A processor backing off after a failed batch is
 * still running and counts as ready (it retries on its own), and so does one that holds an
 * account's event in its dead-letter queue: that stalls one account (health DEGRADED), not the
 * process.
 */
public class ProcessorsHealthIndicator implements HealthIndicator {

    private final EventProcessingConfiguration processing;

    public ProcessorsHealthIndicator(EventProcessingConfiguration processing) {
        this.processing = processing;
    }

    @Override
    public Health health() {
        List<String> stopped = new TreeSet<>(processing.eventProcessors().keySet()).stream()
                .filter(name -> processing.eventProcessor(name).map(processor -> !processor.isRunning()).orElse(true))
                .toList();
        List<String> retrying = new TreeSet<>(processing.eventProcessors().keySet()).stream()
                .filter(name -> processing.eventProcessor(name).map(EventProcessor::isError).orElse(false))
                .toList();
        Health.Builder health = stopped.isEmpty() ? Health.up() : Health.outOfService();
        return health.withDetail("stopped", stopped).withDetail("retryingAfterAnError", retrying).build();
    }
}
