package dev.tally.ledger.api.credit;

import dev.tally.ledger.api.money.Money;

/** An amount drawn from, or restored to, one credit grant. The amount is always positive. */
public record CreditMovement(String grantId, Money amount) {
}
