package dev.tally.ledger.api.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Records which customer in {@code system} stands for the account. Linking the same id again is a
 * duplicate; another id for a system already linked is refused, because the ledger would then
 * disagree with the service about who is billed.
 */
public record LinkExternalCustomer(@TargetAggregateIdentifier String accountId, ExternalSystem system,
                                   String externalId) implements ForAccount {
}
