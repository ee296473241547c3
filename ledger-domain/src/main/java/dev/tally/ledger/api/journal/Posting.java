package dev.tally.ledger.api.journal;

import dev.tally.ledger.api.money.Money;

/** One line of a journal entry: a debit or a credit to one ledger account. Exactly one side is non-zero. */
public record Posting(String ledgerAccount, Money debit, Money credit, String description) {

    public static Posting debit(String ledgerAccount, Money amount, String description) {
        return new Posting(ledgerAccount, amount, Money.zero(amount.currency()), description);
    }

    public static Posting credit(String ledgerAccount, Money amount, String description) {
        return new Posting(ledgerAccount, Money.zero(amount.currency()), amount, description);
    }
}
