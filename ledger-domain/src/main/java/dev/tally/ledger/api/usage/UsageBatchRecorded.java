package dev.tally.ledger.api.usage;

import java.util.List;

/**
 * Usage events of one command for one account, accepted and rated in this order, each exactly
 * as a {@link UsageRecorded} would record it. Stored as one event so that a batch of usage costs
 * one row, one hash link and one message instead of one per usage event; everything that reads
 * usage (balances, journal, warehouse, Orb, replay) takes each entry as the usage event it is.
 * A command whose accepted usage is a single event records a plain {@link UsageRecorded}.
 */
public record UsageBatchRecorded(String accountId, List<UsageRecorded> usages) {

    public UsageBatchRecorded {
        usages = List.copyOf(usages);
        if (usages.isEmpty()) {
            throw new IllegalArgumentException("a usage batch records at least one usage event");
        }
    }

    /** The usage events recorded by a usage event payload of either kind; none for other payloads. */
    public static List<UsageRecorded> usagesIn(Object payload) {
        if (payload instanceof UsageRecorded usage) {
            return List.of(usage);
        }
        if (payload instanceof UsageBatchRecorded batch) {
            return batch.usages();
        }
        return List.of();
    }
}
