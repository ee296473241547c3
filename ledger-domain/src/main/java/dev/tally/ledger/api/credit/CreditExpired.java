package dev.tally.ledger.api.credit;

import dev.tally.ledger.api.money.Money;
import java.time.Instant;

/** A grant reached its {@code expiresAt}; {@code forfeited} is what remained of it. */
public record CreditExpired(String accountId, String grantId, CreditKind kind, Money forfeited, Instant expiresAt,
                            Instant recordedAt) {
}
