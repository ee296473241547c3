package dev.tally.ledger.api.usage;

import dev.tally.ledger.api.account.ForAccount;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Records a batch of usage for one account in one transaction. The answer is one
 * {@link UsageOutcome} per submission, in order; each submission stands or falls alone.
 */
public record RecordUsage(@TargetAggregateIdentifier String accountId, List<UsageSubmission> events)
        implements ForAccount {

    public static final int MAX_EVENTS_PER_BATCH = 1000;

    public RecordUsage {
        events = List.copyOf(events);
    }
}
