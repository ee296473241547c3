package dev.tally.server.account;

import dev.tally.ledger.api.money.Money;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.ledger.limits.NumberLimits;
import dev.tally.server.web.error.ProblemException;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The currency of an account, read from its opening event (it never changes), so that amounts
 * in requests become Money in the account's currency. A request may name its currency; one
 * that differs from the account's is rejected (spec principle 3). An unknown account is a 404.
 */
@Component
public class AccountCurrencies {

    private final JdbcTemplate jdbc;
    private final ConcurrentMap<String, String> known = new ConcurrentHashMap<>();

    public AccountCurrencies(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Money money(String accountId, BigDecimal amount, String requestedCurrency) {
        String currency = currencyOf(accountId);
        if (requestedCurrency != null && !requestedCurrency.equals(currency)) {
            throw new ProblemException(ErrorCode.CURRENCY_MISMATCH, "account " + accountId + " is billed in " + currency);
        }
        return amount(currency, amount, "amount");
    }

    /** A money amount a request sends, refused unless it keeps spec section 3's limits for its currency. */
    public static Money amount(String currency, BigDecimal amount, String field) {
        NumberLimits.amountViolation(amount, currency).ifPresent(problem -> {
            throw new ProblemException(ErrorCode.INVALID_AMOUNT, field + ": " + problem);
        });
        return Money.of(currency, amount);
    }

    public String currencyOf(String accountId) {
        String currency = known.get(accountId);
        if (currency != null) {
            return currency;
        }
        List<String> found = jdbc.queryForList("""
                SELECT payload ->> 'currency' FROM events.domain_event_entry
                WHERE aggregateIdentifier = ? AND sequenceNumber = 0
                  AND payloadType = 'dev.tally.ledger.api.account.AccountOpened'""", String.class, accountId);
        if (found.isEmpty()) {
            throw new ProblemException(ErrorCode.UNKNOWN_ACCOUNT, "no account " + accountId);
        }
        known.put(accountId, found.get(0));
        return found.get(0);
    }
}
