package dev.tally.ledger.api.projection;

import dev.tally.ledger.api.account.ForAccount;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Leaves the account's event {@code eventId} (at global {@code position}) out of the read models
 * of {@code processingGroup}, because they cannot apply it; {@code reason} says why for the audit.
 */
public record SkipEventInProjections(@TargetAggregateIdentifier String accountId, String eventId, long position,
                                  String processingGroup, String reason) implements ForAccount {
}
