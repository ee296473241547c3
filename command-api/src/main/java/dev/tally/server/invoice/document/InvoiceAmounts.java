package dev.tally.server.invoice.document;

import dev.tally.ledger.api.money.CurrencyUnits;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * Figures as the invoice prints them: money in the currency's minor units with thousands
 * separators and the code ("USD 1,234.50", "-USD 10.00", "JPY 1,235"), quantities and prices exact.
 */
final class InvoiceAmounts {

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

    /**
     * A price exactly as the plan states it ("USD 0.0004", "USD 2.50"): at least the minor unit's
     * decimals, and every further one the plan gave, since a price keeps its full precision.
     */
    String price(BigDecimal price) {
        BigDecimal exact = CurrencyUnits.normalize(price);
        return withCurrency(exact.scale() < minorUnits ? exact.setScale(minorUnits) : exact);
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
