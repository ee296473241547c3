package dev.tally.ledger.api.plan;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.math.BigDecimal;

/** A price tier covering (previous upTo, upTo]; the last tier has no upper bound ({@code upTo} null). */
// Its is…() helpers are questions, not data: they stay out of the JSON of every message.
@JsonAutoDetect(isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public record Tier(BigDecimal upTo, BigDecimal unitPrice, BigDecimal flatFee) {

    public BigDecimal flatFeeOrZero() {
        return flatFee == null ? BigDecimal.ZERO : flatFee;
    }

    public boolean isUnbounded() {
        return upTo == null;
    }
}
