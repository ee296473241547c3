package dev.tally.ledger.api.credit;

import dev.tally.ledger.api.account.ForAccount;
import dev.tally.ledger.api.money.Money;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Grants credit to an account. {@code effectiveAt} defaults to the moment recorded,
 * {@code priority} to 100 (lower is drawn first), {@code expiresAt} to never.
 */
public record GrantCredit(@TargetAggregateIdentifier String accountId, String grantId, Money amount, CreditKind kind,
                          Instant effectiveAt, Instant expiresAt, Integer priority, String description)
        implements ForAccount {

    public static final int DEFAULT_PRIORITY = 100;
}
