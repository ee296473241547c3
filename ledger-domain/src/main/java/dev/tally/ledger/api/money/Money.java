package dev.tally.ledger.api.money;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * An exact amount in one ISO-4217 currency. Arithmetic refuses to mix currencies, because a
 * silent conversion would corrupt the ledger; accruals keep full precision and are rounded
 * only where money becomes a document.
 */
// Its is…() helpers are questions, not data: they stay out of the JSON of every message.
@JsonAutoDetect(isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public record Money(String currency, BigDecimal amount) implements Comparable<Money> {

    public Money {
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(amount, "amount");
    }

    public static Money zero(String currency) {
        return new Money(currency, BigDecimal.ZERO);
    }

    public static Money of(String currency, String amount) {
        return new Money(currency, new BigDecimal(amount));
    }

    public static Money of(String currency, BigDecimal amount) {
        return new Money(currency, amount);
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(currency, amount.add(other.amount));
    }

    public Money minus(Money other) {
        requireSameCurrency(other);
        return new Money(currency, amount.subtract(other.amount));
    }

    public Money negate() {
        return new Money(currency, amount.negate());
    }

    public Money min(Money other) {
        requireSameCurrency(other);
        return amount.compareTo(other.amount) <= 0 ? this : other;
    }

    public Money max(Money other) {
        requireSameCurrency(other);
        return amount.compareTo(other.amount) >= 0 ? this : other;
    }

    public boolean isPositive() {
        return amount.signum() > 0;
    }

    public boolean isNegative() {
        return amount.signum() < 0;
    }

    public boolean isZero() {
        return amount.signum() == 0;
    }

    public int signum() {
        return amount.signum();
    }

    /** Rounds HALF_UP to the currency's minor unit: the only rounding a document may apply. */
    public Money roundedToMinorUnit() {
        return new Money(currency, amount.setScale(CurrencyUnits.minorUnits(currency), RoundingMode.HALF_UP));
    }

    /** The same value with no trailing zeros, so that equal amounts serialize identically. */
    public Money normalized() {
        return new Money(currency, CurrencyUnits.normalize(amount));
    }

    public boolean sameValueAs(Money other) {
        return currency.equals(other.currency) && amount.compareTo(other.amount) == 0;
    }

    @Override
    public int compareTo(Money other) {
        requireSameCurrency(other);
        return amount.compareTo(other.amount);
    }

    public void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("currency mismatch: " + currency + " and " + other.currency);
        }
    }

    @Override
    public String toString() {
        return amount.toPlainString() + " " + currency;
    }
}
