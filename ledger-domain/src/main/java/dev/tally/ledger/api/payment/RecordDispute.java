package dev.tally.ledger.api.payment;

import dev.tally.ledger.api.account.ForAccount;
import dev.tally.ledger.api.money.Money;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The customer's bank disputes (part of) a payment, e.g. a Stripe {@code charge.dispute.created}.
 * {@code disputeId} is the dispute's own id, so that a repeated report is recorded once.
 */
public record RecordDispute(@TargetAggregateIdentifier String accountId, String disputeId, String paymentId,
                            Money amount, String reason, String externalRef) implements ForAccount {
}
