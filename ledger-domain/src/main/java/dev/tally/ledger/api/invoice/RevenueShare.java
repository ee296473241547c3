package dev.tally.ledger.api.invoice;

import dev.tally.ledger.api.money.Money;

/** The part of a void that reverses revenue in one journal account. */
public record RevenueShare(String revenueAccount, Money amount) {
}
