package dev.tally.ledger.model;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/** The calculator's journal (spec section 7): signed balances, debit minus credit, per ledger account. */
final class SpecJournal {

    private final Map<String, BigDecimal> balances = new TreeMap<>();

    void debit(String ledgerAccount, BigDecimal amount) {
        balances.merge(ledgerAccount, amount, BigDecimal::add);
    }

    void credit(String ledgerAccount, BigDecimal amount) {
        balances.merge(ledgerAccount, amount.negate(), BigDecimal::add);
    }

    Map<String, BigDecimal> balances() {
        return Map.copyOf(balances);
    }
}
