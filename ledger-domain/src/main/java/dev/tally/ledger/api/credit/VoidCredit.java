package dev.tally.ledger.api.credit;

import dev.tally.ledger.api.account.ForAccount;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Voids a grant: whatever remains of it is forfeited now. */
public record VoidCredit(@TargetAggregateIdentifier String accountId, String grantId, String reason)
        implements ForAccount {
}
