package dev.tally.ledger.api.usage;

import dev.tally.ledger.api.outcome.ErrorCode;

/** The answer to one usage submission; a rejection carries its stable code. */
public record UsageOutcome(String idempotencyKey, UsageStatus status, ErrorCode code, String detail) {

    public static UsageOutcome accepted(String key) {
        return new UsageOutcome(key, UsageStatus.ACCEPTED, null, null);
    }

    public static UsageOutcome duplicate(String key) {
        return new UsageOutcome(key, UsageStatus.DUPLICATE, null, null);
    }

    public static UsageOutcome rejected(String key, ErrorCode code, String detail) {
        return new UsageOutcome(key, UsageStatus.REJECTED, code, detail);
    }
}
