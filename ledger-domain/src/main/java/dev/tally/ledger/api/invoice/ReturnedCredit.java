package dev.tally.ledger.api.invoice;

import dev.tally.ledger.api.credit.CreditKind;
import dev.tally.ledger.api.money.Money;

/**
 * Credit a voided invoice had consumed, given back to its grant. {@code forfeited} when the grant
 * had already expired or been voided: the amount is forfeited again at once.
 */
public record ReturnedCredit(String grantId, CreditKind kind, Money amount, boolean forfeited) {
}
