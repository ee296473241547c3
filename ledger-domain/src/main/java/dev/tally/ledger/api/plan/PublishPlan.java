package dev.tally.ledger.api.plan;

import dev.tally.ledger.api.money.Money;
import java.time.Instant;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Publishes a plan: version 1 the first time, version n+1 after that. {@code effectiveFrom}
 * defaults to the moment the ledger records it; {@code minimumCommitment} may be null.
 */
public record PublishPlan(String planId, String currency, Instant effectiveFrom,
                          Money minimumCommitment, List<MeterPrice> prices) {

    public PublishPlan {
        prices = prices == null ? List.of() : List.copyOf(prices);
    }

    /** The plan's own event stream (see {@link PlanStreams}). */
    @TargetAggregateIdentifier
    public String planStreamId() {
        return PlanStreams.idOf(planId);
    }
}
