package dev.tally.server.scheduling;

import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import dev.tally.server.audit.AuditProperties;
import dev.tally.server.audit.Checkpointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Takes a checkpoint every {@code TALLY_AUDIT_CHECKPOINT_INTERVAL} when anything was appended since the last. */
@ConditionalOnTallyRole(TallyRole.SCHEDULER)
@Component
public class CheckpointScheduler {

    private static final Logger log = LoggerFactory.getLogger(CheckpointScheduler.class);

    private final Checkpointer checkpointer;
    private final AuditProperties properties;

    public CheckpointScheduler(Checkpointer checkpointer, AuditProperties properties) {
        this.checkpointer = checkpointer;
        this.properties = properties;
    }

    @Scheduled(initialDelayString = "${tally.audit.checkpoint-interval:PT5M}",
            fixedDelayString = "${tally.audit.checkpoint-interval:PT5M}")
    public void takeCheckpoint() {
        if (!properties.checkpointEnabled()) {
            return;
        }
        try {
            checkpointer.checkpoint();
        } catch (RuntimeException failure) {
            log.warn("checkpoint failed; trying again at the next interval", failure);
        }
    }
}
