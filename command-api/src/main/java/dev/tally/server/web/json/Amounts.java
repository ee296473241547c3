package dev.tally.server.web.json;

import dev.tally.ledger.api.money.CurrencyUnits;
import dev.tally.ledger.api.money.Money;
import java.math.BigDecimal;

/**
 * Decimals as the API writes them: strings, exact, never in exponent form, with at least the
 * currency's minor units ("12.50") and every further digit an accrual carries ("0.000123").
 */
public final class Amounts {

    private Amounts() {
    }

    public static String format(BigDecimal amount, String currency) {
        return CurrencyUnits.format(amount, currency);
    }

    public static String format(Money money) {
        return money == null ? null : format(money.amount(), money.currency());
    }

    /** A journal side: "0" when nothing is posted on it, else the amount as {@link #format}. */
    public static String plainOrZero(BigDecimal amount, String currency) {
        return amount == null || amount.signum() == 0 ? "0" : format(amount, currency);
    }

    /** A quantity or unit price: exact, without trailing zeros. */
    public static String plain(BigDecimal value) {
        return value == null ? null : CurrencyUnits.normalize(value).toPlainString();
    }
}
