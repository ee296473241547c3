package dev.tally.ledger.api.invoice;

import dev.tally.ledger.api.account.ForAccount;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Write an issued, unpaid invoice off. With {@code restoreCredits} the credit it consumed goes back
 * to its grants (and is forfeited again at once where the grant has expired or was voided).
 */
public record VoidInvoice(@TargetAggregateIdentifier String accountId, String invoiceId, boolean restoreCredits,
                          String reason) implements ForAccount {
}
