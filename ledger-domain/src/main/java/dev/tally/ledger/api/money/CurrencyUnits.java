package dev.tally.ledger.api.money;

import java.math.BigDecimal;
import java.util.Currency;

/** ISO-4217 facts the ledger needs: whether a code is real, and its minor unit. */
public final class CurrencyUnits {

    private CurrencyUnits() {
    }

    public static boolean isKnown(String code) {
        if (code == null || code.length() != 3 || !code.equals(code.toUpperCase(java.util.Locale.ROOT))) {
            return false;
        }
        try {
            return Currency.getInstance(code).getDefaultFractionDigits() >= 0;
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }

    public static int minorUnits(String code) {
        return Currency.getInstance(code).getDefaultFractionDigits();
    }

    /**
     * An amount as the ledger shows it (HTTP answers, replay tools): exact, never in exponent form,
     * with at least the currency's minor units ("12.50") and every further digit an accrual carries.
     */
    public static String format(BigDecimal amount, String currency) {
        if (amount == null) {
            return null;
        }
        BigDecimal normalized = normalize(amount);
        return normalized.setScale(Math.max(minorUnits(currency), normalized.scale())).toPlainString();
    }

    public static BigDecimal normalize(BigDecimal value) {
        if (value.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
