package dev.tally.ledger.account;

import java.math.BigDecimal;

/**
 * Late usage against a billed minimum (spec section 5). What a customer pays for a period with a
 * minimum commitment is max(its usage, the minimum), so usage arriving after the period's invoice
 * first uses up the true-up T that invoice billed: with L the exact sum of the period's late
 * accruals, the late usage billed is max(0, L − T). A late event's share is the change it makes to
 * that figure, cumulatively like rating, so negative accruals give back only what was billed.
 * Pure: the aggregate decides with it, the event records the result.
 */
final class MinimumCover {

    private MinimumCover() {
    }

    /**
     * The part of {@code accrual} the true-up already paid: the accrual less the change it makes to
     * max(0, L − T). Zero when nothing was billed as a true-up ({@code trueUp} 0: no minimum, usage
     * above it, or the invoice voided).
     *
     * @param trueUp     T, the true-up billed on the period's invoice, 0 if that invoice was voided
     * @param lateBefore L before this event: the exact sum of the period's earlier late accruals
     * @param accrual    this late event's accrual
     */
    static BigDecimal covered(BigDecimal trueUp, BigDecimal lateBefore, BigDecimal accrual) {
        if (trueUp.signum() < 0) {
            throw new IllegalArgumentException("a true-up is never negative: " + trueUp);
        }
        if (trueUp.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal billedBefore = lateBefore.subtract(trueUp).max(BigDecimal.ZERO);
        BigDecimal billedAfter = lateBefore.add(accrual).subtract(trueUp).max(BigDecimal.ZERO);
        return accrual.subtract(billedAfter.subtract(billedBefore));
    }
}
