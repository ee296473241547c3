package dev.tally.ledger.api.plan;

import java.math.BigDecimal;

/** A price tier covering (previous upTo, upTo]; the last tier has no upper bound ({@code upTo} null). */
public record Tier(BigDecimal upTo, BigDecimal unitPrice, BigDecimal flatFee) {

    public BigDecimal flatFeeOrZero() {
        return flatFee == null ? BigDecimal.ZERO : flatFee;
    }

    public boolean isUnbounded() {
        return upTo == null;
    }
}
