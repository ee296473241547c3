package dev.tally.ledger.api.charge;

import dev.tally.ledger.api.account.ForAccount;
import dev.tally.ledger.api.money.Money;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A manual charge (positive) or adjustment (negative); {@code timestamp} defaults to now. */
public record RecordCharge(@TargetAggregateIdentifier String accountId, String chargeId, Money amount,
                           String description, Instant timestamp) implements ForAccount {
}
