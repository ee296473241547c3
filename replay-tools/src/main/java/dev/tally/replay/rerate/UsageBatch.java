package dev.tally.replay.rerate;

import dev.tally.ledger.api.usage.RecordUsage;
import dev.tally.ledger.api.usage.UsageRecorded;
import dev.tally.ledger.api.usage.UsageSubmission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Consecutive usage the ledger recorded at one instant, re-sent as one {@link RecordUsage} as the
 * client sent it. The aggregate decides each submission of a batch on its own, so this only saves
 * commands; it changes no figure.
 */
final class UsageBatch {

    private final String accountId;
    private final List<UsageSubmission> submissions = new ArrayList<>();
    private Instant recordedAt;

    UsageBatch(String accountId) {
        this.accountId = accountId;
    }

    /** Whether {@code usage} can join the batch; if not, send {@link #drain()} first. */
    boolean accepts(UsageRecorded usage) {
        return submissions.isEmpty()
                || usage.recordedAt().equals(recordedAt) && submissions.size() < RecordUsage.MAX_EVENTS_PER_BATCH;
    }

    void add(UsageRecorded usage) {
        if (!accepts(usage)) {
            throw new IllegalStateException("usage recorded at " + usage.recordedAt() + " belongs to another batch");
        }
        recordedAt = usage.recordedAt();
        submissions.add(new UsageSubmission(usage.idempotencyKey(), usage.meter(), usage.quantity(), usage.timestamp(),
                usage.properties()));
    }

    boolean isEmpty() {
        return submissions.isEmpty();
    }

    /** The batch as the command to send and empties it. */
    RecordedCommand drain() {
        RecordedCommand command = new RecordedCommand(recordedAt, new RecordUsage(accountId, List.copyOf(submissions)),
                submissions.size() + " usage event(s) recorded at " + recordedAt);
        submissions.clear();
        recordedAt = null;
        return command;
    }
}
