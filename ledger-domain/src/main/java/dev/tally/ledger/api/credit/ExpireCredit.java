package dev.tally.ledger.api.credit;

import dev.tally.ledger.api.account.ForAccount;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Sent by the expiry scheduler once a grant's {@code expiresAt} has passed. */
public record ExpireCredit(@TargetAggregateIdentifier String accountId, String grantId) implements ForAccount {
}
