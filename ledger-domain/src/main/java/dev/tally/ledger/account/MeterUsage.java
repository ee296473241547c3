package dev.tally.ledger.account;

import java.math.BigDecimal;

/** A meter's usage in one period not yet on an invoice: quantity, exact accrual, latest plan version. */
record MeterUsage(BigDecimal quantity, BigDecimal amount, int planVersion) {

    static final MeterUsage NONE = new MeterUsage(BigDecimal.ZERO, BigDecimal.ZERO, 0);

    MeterUsage plus(BigDecimal moreQuantity, BigDecimal moreAmount, int version) {
        return new MeterUsage(quantity.add(moreQuantity), amount.add(moreAmount), Math.max(planVersion, version));
    }
}
