package dev.tally.replay.balance;

import dev.tally.ledger.api.money.CurrencyUnits;
import dev.tally.ledger.balance.BalanceFold;
import java.time.Instant;
import java.util.List;

/**
 * The balance in the shape of the HTTP answer to {@code GET /v1/accounts/{id}/balance} (spec
 * section 8): same field names, amounts as decimal strings formatted by the same rule.
 */
record BalanceAnswer(String accountId, String currency, String creditBalance, String unbilled,
                     String invoicedOutstanding, String unappliedCash, String amountDue, List<GrantAnswer> grants,
                     long position) {

    record GrantAnswer(String grantId, String kind, String amount, String remaining, Instant effectiveAt,
                       Instant expiresAt, int priority, String description, String status) {
    }

    static BalanceAnswer of(String accountId, BalanceFold fold, long position) {
        String currency = fold.currency();
        return new BalanceAnswer(accountId, currency, CurrencyUnits.format(fold.creditBalance(), currency),
                CurrencyUnits.format(fold.unbilled(), currency), CurrencyUnits.format(fold.invoicedOutstanding(), currency),
                CurrencyUnits.format(fold.unappliedCash(), currency), CurrencyUnits.format(fold.amountDue(), currency),
                fold.grants().stream().map(grant -> new GrantAnswer(grant.granted().grantId(),
                        grant.granted().kind().wireName(), CurrencyUnits.format(grant.granted().amount().amount(), currency),
                        CurrencyUnits.format(grant.remaining(), currency), grant.granted().effectiveAt(),
                        grant.granted().expiresAt(), grant.granted().priority(), grant.granted().description(),
                        grant.status())).toList(),
                position);
    }
}
