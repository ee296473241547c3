package dev.tally.ledger.api.credit;

import dev.tally.ledger.api.money.Money;
import java.time.Instant;

/** A grant exists and can fund usage timestamped in [effectiveAt, expiresAt). */
public record CreditGranted(String accountId, String grantId, Money amount, CreditKind kind, Instant effectiveAt,
                            Instant expiresAt, int priority, String description, Instant grantedAt) {
}
