package dev.tally.ledger.api.account;

import dev.tally.ledger.api.money.Money;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Opens a customer account on a plan. {@code billingAnchorDay} defaults to 1 and
 * {@code billingStart} to the start of the period containing the moment of opening; a past
 * {@code billingStart} is allowed for customers migrated with their history.
 */
public record OpenAccount(@TargetAggregateIdentifier String accountId, String name, String currency, String planId,
                          Integer billingAnchorDay, Instant billingStart, Money lowBalanceThreshold,
                          String email) implements ForAccount {
}
