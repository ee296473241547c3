package dev.tally.ledger.limits;

import dev.tally.ledger.api.money.CurrencyUnits;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * How large and how fine a quantity or a money amount may be (spec section 3). A quantity of
 * 18 digits priced at a cent leaves a receivable no one can pay, and an amount finer than its
 * currency's minor unit (10.5 JPY) is money that does not exist; both are refused rather than
 * guessed at.
 */
public final class NumberLimits {

    public static final int MAX_QUANTITY_INTEGER_DIGITS = 12;
    public static final int MAX_QUANTITY_FRACTION_DIGITS = 12;
    public static final int MAX_AMOUNT_INTEGER_DIGITS = 12;

    private NumberLimits() {
    }

    /** What is wrong with a usage quantity's size, or empty. The sign is the domain's rule. */
    public static Optional<String> quantityViolation(BigDecimal quantity) {
        BigDecimal plain = CurrencyUnits.normalize(quantity);
        if (integerDigits(plain) > MAX_QUANTITY_INTEGER_DIGITS) {
            return Optional.of("a quantity has at most " + MAX_QUANTITY_INTEGER_DIGITS + " digits before the point");
        }
        if (plain.scale() > MAX_QUANTITY_FRACTION_DIGITS) {
            return Optional.of("a quantity has at most " + MAX_QUANTITY_FRACTION_DIGITS + " digits after the point");
        }
        return Optional.empty();
    }

    /** What is wrong with a money amount in {@code currency}, or empty. */
    public static Optional<String> amountViolation(BigDecimal amount, String currency) {
        BigDecimal plain = CurrencyUnits.normalize(amount);
        if (integerDigits(plain) > MAX_AMOUNT_INTEGER_DIGITS) {
            return Optional.of("an amount has at most " + MAX_AMOUNT_INTEGER_DIGITS + " digits before the point");
        }
        int minorUnits = CurrencyUnits.minorUnits(currency);
        if (plain.scale() > minorUnits) {
            return Optional.of(minorUnits == 0 ? "an amount in " + currency + " is a whole number"
                    : "an amount in " + currency + " has at most " + minorUnits + " digits after the point");
        }
        return Optional.empty();
    }

    private static int integerDigits(BigDecimal plain) {
        return Math.max(0, plain.precision() - plain.scale());
    }
}
