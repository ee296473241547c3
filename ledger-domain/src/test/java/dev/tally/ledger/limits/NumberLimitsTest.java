package dev.tally.ledger.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

// Goal: quantities keep 12 + 12 digits and amounts 12 digits plus their currency's minor unit (spec section 3).
class NumberLimitsTest {

    @Test
    void canTakeTheLargestAndFinestQuantity() {
        assertThat(NumberLimits.quantityViolation(new BigDecimal("999999999999.999999999999"))).isEmpty();
        assertThat(NumberLimits.quantityViolation(new BigDecimal("0.000000000001"))).isEmpty();
        assertThat(NumberLimits.quantityViolation(new BigDecimal("5.000000000000000000"))).isEmpty();
    }

    @Test
    void cannotTakeAQuantityOfThirteenIntegerOrFractionDigits() {
        assertThat(NumberLimits.quantityViolation(new BigDecimal("1000000000000")))
                .contains("a quantity has at most 12 digits before the point");
        assertThat(NumberLimits.quantityViolation(new BigDecimal("0.0000000000001")))
                .contains("a quantity has at most 12 digits after the point");
        assertThat(NumberLimits.quantityViolation(new BigDecimal("123456789012345678.123456789012345678"))).isPresent();
    }

    @Test
    void anAmountKeepsItsCurrencysMinorUnit() {
        assertThat(NumberLimits.amountViolation(new BigDecimal("10.50"), "USD")).isEmpty();
        assertThat(NumberLimits.amountViolation(new BigDecimal("10.505"), "USD"))
                .contains("an amount in USD has at most 2 digits after the point");
        assertThat(NumberLimits.amountViolation(new BigDecimal("10"), "JPY")).isEmpty();
        assertThat(NumberLimits.amountViolation(new BigDecimal("10.0"), "JPY")).isEmpty();
        assertThat(NumberLimits.amountViolation(new BigDecimal("10.5"), "JPY")).contains("an amount in JPY is a whole number");
        assertThat(NumberLimits.amountViolation(new BigDecimal("1.234"), "BHD")).isEmpty();
    }

    @Test
    void anAmountHasAtMostTwelveIntegerDigits() {
        assertThat(NumberLimits.amountViolation(new BigDecimal("999999999999.99"), "USD")).isEmpty();
        assertThat(NumberLimits.amountViolation(new BigDecimal("-999999999999.99"), "USD")).isEmpty();
        assertThat(NumberLimits.amountViolation(new BigDecimal("1000000000000"), "USD"))
                .contains("an amount has at most 12 digits before the point");
    }
}
