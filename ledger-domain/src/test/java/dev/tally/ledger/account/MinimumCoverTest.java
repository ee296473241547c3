package dev.tally.ledger.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

// Goal: late usage of a period is set against the true-up its invoice billed, max(0, L − T), event by event.
class MinimumCoverTest {

    private static final BigDecimal TRUE_UP = new BigDecimal("50.00");

    @Test
    void canCoverLateUsageWhollyWhileTheTrueUpLasts() {
        assertThat(MinimumCover.covered(TRUE_UP, BigDecimal.ZERO, new BigDecimal("32.14")))
                .isEqualByComparingTo("32.14");
    }

    @Test
    void canCoverOnlyWhatIsLeftOfTheTrueUpAndBillTheRest() {
        // The spec's example: after 32.14, a further 30.00 is covered up to 17.86, so 12.14 is billed.
        BigDecimal covered = MinimumCover.covered(TRUE_UP, new BigDecimal("32.14"), new BigDecimal("30.00"));

        assertThat(covered).isEqualByComparingTo("17.86");
        assertThat(new BigDecimal("30.00").subtract(covered)).isEqualByComparingTo("12.14");
        // October then costs 50.00 + 0.00 + 12.14 = 62.14, its usage.
        assertThat(TRUE_UP.add(new BigDecimal("12.14"))).isEqualByComparingTo("62.14");
    }

    @Test
    void canCoverNothingOnceLateUsageExceedsTheTrueUp() {
        assertThat(MinimumCover.covered(TRUE_UP, new BigDecimal("62.14"), new BigDecimal("5")))
                .isEqualByComparingTo("0");
    }

    @Test
    void canGiveBackTheBilledPartOfANegativeAccrualFirstAndSetTheRestAgainstTheTrueUp() {
        // L goes from 62.14 (12.14 billed) to 42.14 (nothing billed): −12.14 is given back, −7.86 covered.
        assertThat(MinimumCover.covered(TRUE_UP, new BigDecimal("62.14"), new BigDecimal("-20.00")))
                .isEqualByComparingTo("-7.86");
        // Below the true-up a negative accrual changes nothing billed: the minimum is still owed.
        assertThat(MinimumCover.covered(TRUE_UP, new BigDecimal("10"), new BigDecimal("-4")))
                .isEqualByComparingTo("-4");
    }

    @Test
    void canKeepFullPrecisionOfExactAccruals() {
        assertThat(MinimumCover.covered(TRUE_UP, new BigDecimal("49.999999999999"), new BigDecimal("0.000000000002")))
                .isEqualByComparingTo("0.000000000001");
    }

    @Test
    void cannotCoverAnythingWithoutATrueUpNorWithANegativeOne() {
        assertThat(MinimumCover.covered(BigDecimal.ZERO, BigDecimal.ZERO, new BigDecimal("32.14")))
                .isEqualByComparingTo("0");
        assertThat(MinimumCover.covered(BigDecimal.ZERO, BigDecimal.ZERO, new BigDecimal("-3")))
                .isEqualByComparingTo("0");
        assertThatThrownBy(() -> MinimumCover.covered(new BigDecimal("-1"), BigDecimal.ZERO, BigDecimal.ONE))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
