package dev.tally.ledger.api.credit;

import java.time.Instant;

/** The account's usable credit reached zero. Recorded once, and again only after a new grant. */
public record CreditBalanceDepleted(String accountId, Instant at) {
}
