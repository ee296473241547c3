package dev.tally.ledger.rating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.ledger.api.plan.MeterPrice;
import dev.tally.ledger.api.plan.Tier;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

// Goal: f(Q) of every price model gives the spec's exact figures at, just below and just above tier boundaries.
class PriceFunctionTest {

    private static final MeterPrice PER_UNIT = MeterPrice.perUnit("gpu_seconds", "0.002");

    /** (0, 10] at 1.00 + 5 flat, (10, 100] at 0.50 + 2 flat, above 100 at 0.25. */
    private static final MeterPrice GRADUATED = MeterPrice.graduated("images", List.of(
            tier("10", "1.00", "5"), tier("100", "0.50", "2"), tier(null, "0.25", null)));

    /** Q ≤ 10 at 1.00 + 3 flat, Q ≤ 100 at 0.50 + 10 flat, above 100 at 0.25. */
    private static final MeterPrice VOLUME = MeterPrice.volume("tokens", List.of(
            tier("10", "1.00", "3"), tier("100", "0.50", "10"), tier(null, "0.25", null)));

    /** Q ≤ 10 at 1.00, above 10 at 0.50, no flat fees. */
    private static final MeterPrice VOLUME_WITHOUT_FEES = MeterPrice.volume("tokens", List.of(
            tier("10", "1.00", null), tier(null, "0.50", null)));

    /** 3.00 per started package of 100. */
    private static final MeterPrice PACKAGE = MeterPrice.packaged("exports", "100", "3.00");

    @ParameterizedTest(name = "per_unit f({0}) = {1}")
    @CsvSource({"0, 0", "1, 0.002", "3, 0.006", "2.5, 0.005", "1000000, 2000", "0.000001, 0.000000002"})
    void canPricePerUnit(String quantity, String price) {
        assertThat(f(PER_UNIT, quantity)).isEqualByComparingTo(price);
    }

    @ParameterizedTest(name = "graduated f({0}) = {1}")
    @CsvSource({
        "0,      0",          // no tier entered, so no flat fee
        "0.01,   5.01",       // entering the first tier charges its flat fee
        "1,      6",
        "9.99,   14.99",      // just below the first boundary
        "10,     15",         // at it: the second tier is not entered yet
        "10.01,  17.005",     // just above: 10 + 5 + 0.01 × 0.50 + 2
        "50,     37",         // 10 + 5 + 40 × 0.50 + 2
        "99.99,  61.995",
        "100,    62",         // 10 + 5 + 90 × 0.50 + 2
        "100.01, 62.0025",    // the last tier has no flat fee
        "101,    62.25",
        "1000,   287"         // 62 + 900 × 0.25
    })
    void canPriceGraduatedTiersWithFlatFees(String quantity, String price) {
        assertThat(f(GRADUATED, quantity)).isEqualByComparingTo(price);
    }

    @ParameterizedTest(name = "volume f({0}) = {1}")
    @CsvSource({
        "0,      0",          // f(0) = 0 even though the first tier has a flat fee
        "0.01,   3.01",
        "1,      4",
        "9.99,   12.99",      // just below the first boundary
        "10,     13",         // at it: the first tier still applies (upTo ≥ Q)
        "10.01,  15.005",     // just above: all units at 0.50, plus 10 flat
        "99.99,  59.995",
        "100,    60",
        "100.01, 25.0025",    // all units at the last tier's 0.25, no flat fee
        "101,    25.25",
        "1000,   250"
    })
    void canPriceVolumeTiers(String quantity, String price) {
        assertThat(f(VOLUME, quantity)).isEqualByComparingTo(price);
    }

    @ParameterizedTest(name = "package f({0}) = {1}")
    @CsvSource({
        "0,       0",
        "0.001,   3",
        "1,       3",
        "99.999,  3",         // just below a whole package
        "100,     3",         // exactly one package
        "100.001, 6",         // just above: a second package is started
        "101,     6",
        "200,     6",
        "201,     9"
    })
    void canPricePackages(String quantity, String price) {
        assertThat(f(PACKAGE, quantity)).isEqualByComparingTo(price);
    }

    @Test
    void canPricePackagesOfFractionalSize() {
        MeterPrice halfHours = MeterPrice.packaged("gpu_hours", "0.5", "1.25");
        assertThat(f(halfHours, "0.5")).isEqualByComparingTo("1.25");
        assertThat(f(halfHours, "0.51")).isEqualByComparingTo("2.50");
        assertThat(f(halfHours, "3")).isEqualByComparingTo("7.50");
    }

    @Test
    void canAccrueNegativelyWhenVolumeCrossesATierBoundary() {
        assertThat(accrual(VOLUME_WITHOUT_FEES, "10", "11")).isEqualByComparingTo("-4.5");   // 5.50 − 10
        assertThat(accrual(VOLUME_WITHOUT_FEES, "9", "12")).isEqualByComparingTo("-3");      // 6 − 9
        assertThat(accrual(VOLUME_WITHOUT_FEES, "10", "10")).isEqualByComparingTo("0");
        assertThat(accrual(VOLUME, "100", "101")).isEqualByComparingTo("-34.75");            // 25.25 − 60
        assertThat(accrual(VOLUME, "10", "10.01")).isEqualByComparingTo("2.005");            // 15.005 − 13
    }

    @Test
    void canAccruePositivelyAcrossGraduatedAndPackageBoundaries() {
        assertThat(accrual(GRADUATED, "9", "11")).isEqualByComparingTo("3.5");    // 1 × 1.00 + 1 × 0.50 + 2 flat
        assertThat(accrual(GRADUATED, "0", "0.5")).isEqualByComparingTo("5.5");
        assertThat(accrual(PACKAGE, "100", "101")).isEqualByComparingTo("3");
        assertThat(accrual(PACKAGE, "101", "150")).isEqualByComparingTo("0");
        assertThat(accrual(PER_UNIT, "3", "5.5")).isEqualByComparingTo("0.005");
    }

    /**
     * The increments add up to Q = 362.001, crossing every boundary above. The expected sums are worked
     * out by hand from the price definitions, not asked of priceOf: accrual is defined as a difference
     * of priceOf, so comparing the sum with priceOf(Q) would hold whatever priceOf computed.
     */
    @ParameterizedTest(name = "{0}: Σ accruals = {1}")
    @CsvSource({
        "PER_UNIT,            0.724002",    // 362.001 × 0.002
        "GRADUATED,           127.50025",   // 10 × 1.00 + 5 + 90 × 0.50 + 2 + 262.001 × 0.25
        "VOLUME,              90.50025",    // above 100: 362.001 × 0.25, no flat fee
        "VOLUME_WITHOUT_FEES, 181.0005",    // above 10: 362.001 × 0.50
        "PACKAGE,             12"           // 4 started packages of 100 at 3.00
    })
    void canSumAccrualsToThePriceOfThePeriodsQuantityForEveryModel(String model, String expected) {
        MeterPrice price = Map.of("PER_UNIT", PER_UNIT, "GRADUATED", GRADUATED, "VOLUME", VOLUME,
                "VOLUME_WITHOUT_FEES", VOLUME_WITHOUT_FEES, "PACKAGE", PACKAGE).get(model);
        List<String> increments = List.of("0.5", "3", "6.5", "0", "0.01", "89.99", "0.001", "12", "250");
        BigDecimal quantity = BigDecimal.ZERO;
        BigDecimal accrued = BigDecimal.ZERO;
        for (String increment : increments) {
            BigDecimal after = quantity.add(new BigDecimal(increment));
            accrued = accrued.add(PriceFunction.accrual(price, quantity, after));
            quantity = after;
        }
        assertThat(quantity).isEqualByComparingTo("362.001");
        assertThat(accrued).isEqualByComparingTo(expected);
    }

    @Test
    void canKeepFullPrecisionWithoutRounding() {
        MeterPrice tiny = MeterPrice.perUnit("tokens", "0.000000123456789");
        assertThat(f(tiny, "3")).isEqualTo(new BigDecimal("0.000000370370367"));
    }

    @Test
    void cannotPriceANegativeCumulativeQuantity() {
        for (MeterPrice price : List.of(PER_UNIT, GRADUATED, VOLUME, PACKAGE)) {
            assertThatThrownBy(() -> f(price, "-1")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static BigDecimal f(MeterPrice price, String quantity) {
        return PriceFunction.priceOf(price, new BigDecimal(quantity));
    }

    private static BigDecimal accrual(MeterPrice price, String before, String after) {
        return PriceFunction.accrual(price, new BigDecimal(before), new BigDecimal(after));
    }

    private static Tier tier(String upTo, String unitPrice, String flatFee) {
        return new Tier(upTo == null ? null : new BigDecimal(upTo), new BigDecimal(unitPrice),
                flatFee == null ? null : new BigDecimal(flatFee));
    }
}
