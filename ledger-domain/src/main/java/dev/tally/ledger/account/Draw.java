package dev.tally.ledger.account;

import java.math.BigDecimal;

/** One draw on a grant within a period, remembered so that a negative accrual can restore it. */
final class Draw {

    final String grantId;
    BigDecimal outstanding;

    Draw(String grantId, BigDecimal outstanding) {
        this.grantId = grantId;
        this.outstanding = outstanding;
    }
}
