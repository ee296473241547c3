package dev.tally.ledger.api.invoice;

import dev.tally.ledger.api.account.ForAccount;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record that the invoice is overdue: accepted once the invoice's own {@code dueAt} (issue plus the
 * account's payment terms) has passed and it is still unpaid. The ledger's due date is the only one:
 * whoever asks (the Stripe collection) learns it from {@link InvoiceIssued#dueAt()}.
 */
public record MarkInvoiceOverdue(@TargetAggregateIdentifier String accountId, String invoiceId)
        implements ForAccount {
}
