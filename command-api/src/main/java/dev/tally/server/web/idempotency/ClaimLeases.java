package dev.tally.server.web.idempotency;

import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import org.springframework.stereotype.Component;

/**
 * Keeps the idempotency claims of running requests alive. A claim is a lease: renewed every
 * {@link #RENEW_EVERY} while its request runs, and abandoned {@link IdempotencyRecords#ABANDONED_AFTER}
 * after the last renewal. That lets the window after a crash be seconds rather than the longest
 * time a request could ever take, without letting a slow request's key be taken while it runs.
 * The renewals have a thread of their own so that a busy scheduler cannot starve them.
 */
@ConditionalOnTallyRole(TallyRole.API)
@Component
class ClaimLeases {

    static final Duration RENEW_EVERY = Duration.ofSeconds(2);

    record Claim(String keyId, String idempotencyKey) {
    }

    private static final Logger log = LoggerFactory.getLogger(ClaimLeases.class);

    private final Set<Claim> running = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService renewer;
    private final IdempotencyRecords records;

    ClaimLeases(IdempotencyRecords records) {
        this.records = records;
        this.renewer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "idempotency-claim-renewer");
            thread.setDaemon(true);
            return thread;
        });
        renewer.scheduleWithFixedDelay(this::renewRunning, RENEW_EVERY.toMillis(), RENEW_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void started(Claim claim) {
        running.add(claim);
    }

    void ended(Claim claim) {
        running.remove(claim);
    }

    private void renewRunning() {
        List<Claim> claims = new ArrayList<>(running);
        try {
            records.renew(claims);
        } catch (RuntimeException unreachable) {
            // Without a database the requests holding these claims fail too; their claims then lapse.
            log.warn("could not renew {} idempotency claims: {}", claims.size(), unreachable.toString());
        }
    }

    @PreDestroy
    void stop() {
        renewer.shutdownNow();
    }
}
