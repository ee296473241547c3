package dev.tally.integrations.stripe;

import dev.tally.ledger.api.money.CurrencyUnits;
import dev.tally.ledger.api.money.Money;

import java.math.BigDecimal;
import java.util.Locale;

/** Stripe counts money in integer minor units with lower-case currency codes; the ledger in exact decimals. */
public final class MinorUnits {

    private MinorUnits() {
    }

    /** The amount in minor units; it must already be rounded to the minor unit (invoice figures are). */
    public static long of(Money money) {
        return money.amount().movePointRight(CurrencyUnits.minorUnits(money.currency())).longValueExact();
    }

    public static Money toMoney(long minorUnits, String stripeCurrency) {
        String currency = stripeCurrency.toUpperCase(Locale.ROOT);
        return Money.of(currency, BigDecimal.valueOf(minorUnits, CurrencyUnits.minorUnits(currency)));
    }

    public static String stripeCurrency(String currency) {
        return currency.toLowerCase(Locale.ROOT);
    }
}
