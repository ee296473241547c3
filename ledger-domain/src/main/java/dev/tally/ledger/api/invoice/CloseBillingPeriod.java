package dev.tally.ledger.api.invoice;

import dev.tally.ledger.api.account.ForAccount;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Close the account's billing period that starts at {@code periodStart} and issue its invoice.
 * Answered {@code duplicate} when the period is already invoiced: the invoice is
 * {@link InvoiceIds#of the same one}.
 */
public record CloseBillingPeriod(@TargetAggregateIdentifier String accountId, Instant periodStart)
        implements ForAccount {
}
