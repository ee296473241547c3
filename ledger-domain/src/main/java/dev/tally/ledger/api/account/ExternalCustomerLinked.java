package dev.tally.ledger.api.account;

import java.time.Instant;

/** The account is known to {@code system} as customer {@code externalId} from now on. */
public record ExternalCustomerLinked(String accountId, ExternalSystem system, String externalId, Instant linkedAt) {
}
