package dev.tally.server.invoice.document;

import dev.tally.ledger.api.money.CurrencyUnits;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * Figures as the invoice prints them: money in the currency's minor units with thousands
 * separators and the code ("USD 1,234.50", "-USD 10.00", "JPY 1,235"), quantities exact.
 */
final class InvoiceAmounts {

    /**
     * An average price per unit is a quotient of a rounded amount; beyond four significant
     * digits it shows only the noise of that rounding (0.00199992 instead of 0.002).
     */
    private static final int UNIT_PRICE_SIGNIFICANT_DIGITS = 4;

    private final String currency;
    private final int minorUnits;

    InvoiceAmounts(String currency) {
        this.currency = currency;
        this.minorUnits = CurrencyUnits.minorUnits(currency);
    }

    /** Rounded HALF_UP to the minor unit, as the ledger rounds invoice lines. */
    String money(BigDecimal amount) {
        if (amount == null) {
            return "";
        }
        return withCurrency(amount.setScale(minorUnits, RoundingMode.HALF_UP));
    }

    /** Exact, without trailing zeros or exponent: 1500 stays "1,500", 0.250 becomes "0.25". */
    String quantity(BigDecimal quantity) {
        return quantity == null ? "" : grouped(CurrencyUnits.normalize(quantity));
    }

    /** The amount per unit: at least the minor unit's decimals, more only where they carry meaning. */
    String unitPrice(BigDecimal amount, BigDecimal quantity) {
        BigDecimal exact = amount.divide(quantity, MathContext.DECIMAL128);
        int leadingDigitPosition = exact.precision() - exact.scale() - 1;
        int scale = Math.max(minorUnits, UNIT_PRICE_SIGNIFICANT_DIGITS - 1 - leadingDigitPosition);
        BigDecimal shown = exact.setScale(scale, RoundingMode.HALF_UP).stripTrailingZeros();
        return withCurrency(shown.scale() < minorUnits ? shown.setScale(minorUnits) : shown);
    }

    private String withCurrency(BigDecimal rounded) {
        String figure = currency + " " + grouped(rounded.abs());
        return rounded.signum() < 0 ? "-" + figure : figure;
    }

    // DecimalFormat is not thread-safe, and an instance per figure costs little next to a PDF.
    private static String grouped(BigDecimal value) {
        DecimalFormat format = new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT));
        int decimals = Math.max(0, value.scale());
        format.setMinimumFractionDigits(decimals);
        format.setMaximumFractionDigits(decimals);
        return format.format(value);
    }
}
