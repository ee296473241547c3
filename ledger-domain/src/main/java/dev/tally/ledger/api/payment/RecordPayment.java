package dev.tally.ledger.api.payment;

import dev.tally.ledger.api.account.ForAccount;
import dev.tally.ledger.api.money.Money;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Money received from the customer; {@code externalRef} is e.g. a Stripe PaymentIntent id. */
public record RecordPayment(@TargetAggregateIdentifier String accountId, String paymentId, Money amount, String method,
                            String externalRef) implements ForAccount {
}
