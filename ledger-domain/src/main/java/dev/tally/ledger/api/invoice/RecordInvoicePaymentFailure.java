package dev.tally.ledger.api.invoice;

import dev.tally.ledger.api.account.ForAccount;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A collection attempt for an open invoice failed. {@code failureId} names the attempt (e.g. the
 * Stripe event id) so that the same failure reported twice is recorded once.
 */
public record RecordInvoicePaymentFailure(@TargetAggregateIdentifier String accountId, String invoiceId,
                                          String failureId, String reason, String externalRef) implements ForAccount {
}
