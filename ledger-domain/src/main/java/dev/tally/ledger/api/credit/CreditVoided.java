package dev.tally.ledger.api.credit;

import dev.tally.ledger.api.money.Money;
import java.time.Instant;

/** A grant was voided; {@code forfeited} is what remained of it. */
public record CreditVoided(String accountId, String grantId, CreditKind kind, Money forfeited, String reason,
                           Instant voidedAt) {
}
