package dev.tally.server.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** How often the ledger takes a checkpoint over all stream heads, and whether it does at all. */
@ConfigurationProperties(prefix = "tally.audit")
public record AuditProperties(Duration checkpointInterval, boolean checkpointEnabled) {

    public AuditProperties {
        checkpointInterval = checkpointInterval == null ? Duration.ofMinutes(5) : checkpointInterval;
        if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
            throw new IllegalArgumentException("tally.audit.checkpoint-interval must be positive");
        }
    }
}
