package dev.tally.ledger.api.payment;

import dev.tally.ledger.api.account.ForAccount;
import dev.tally.ledger.api.money.Money;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Returns (part of) a payment to the customer. */
public record RefundPayment(@TargetAggregateIdentifier String accountId, String refundId, String paymentId,
                            Money amount) implements ForAccount {
}
