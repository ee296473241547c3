package dev.tally.ledger.account;

import java.math.BigDecimal;

/**
 * A meter's usage in one period not yet on an invoice: quantity, exact accrual, the part of that
 * accrual its period's minimum true-up already paid ({@code covered}, late usage only), latest
 * plan version.
 */
record MeterUsage(BigDecimal quantity, BigDecimal amount, BigDecimal covered, int planVersion) {

    static final MeterUsage NONE = new MeterUsage(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, 0);

    MeterUsage plus(BigDecimal moreQuantity, BigDecimal moreAmount, BigDecimal moreCovered, int version) {
        return new MeterUsage(quantity.add(moreQuantity), amount.add(moreAmount), covered.add(moreCovered),
                Math.max(planVersion, version));
    }
}
