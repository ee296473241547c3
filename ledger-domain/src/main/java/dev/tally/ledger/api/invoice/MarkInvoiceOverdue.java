package dev.tally.ledger.api.invoice;

import dev.tally.ledger.api.account.ForAccount;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The invoice was due at {@code dueAt} and is not paid: record that it is overdue. */
public record MarkInvoiceOverdue(@TargetAggregateIdentifier String accountId, String invoiceId, Instant dueAt)
        implements ForAccount {
}
