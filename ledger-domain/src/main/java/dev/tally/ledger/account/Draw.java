package dev.tally.ledger.account;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;

/** One draw on a grant within a period, remembered so that a negative accrual can restore it. */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
final class Draw {

    final String grantId;
    BigDecimal outstanding;

    @JsonCreator
    Draw(@JsonProperty("grantId") String grantId, @JsonProperty("outstanding") BigDecimal outstanding) {
        this.grantId = grantId;
        this.outstanding = outstanding;
    }

    // Value equality lets Axon's fixtures check that event sourcing rebuilds exactly the state
    // the command handler decided on.
    @Override
    public boolean equals(Object other) {
        return other instanceof Draw that && grantId.equals(that.grantId) && outstanding.equals(that.outstanding);
    }

    @Override
    public int hashCode() {
        return grantId.hashCode();
    }
}
