package dev.tally.ledger.account;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;

/**
 * One draw on a grant within a period, remembered so that a negative accrual can restore it, and
 * which invoice billed it ({@code billedBy}, null until one does), so that a void gives back
 * exactly what that invoice's draws still hold.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
final class Draw {

    final String grantId;
    BigDecimal outstanding;
    String billedBy;

    Draw(String grantId, BigDecimal outstanding) {
        this(grantId, outstanding, null);
    }

    @JsonCreator
    Draw(@JsonProperty("grantId") String grantId, @JsonProperty("outstanding") BigDecimal outstanding,
         @JsonProperty("billedBy") String billedBy) {
        this.grantId = grantId;
        this.outstanding = outstanding;
        this.billedBy = billedBy;
    }

    // Value equality lets Axon's fixtures check that event sourcing rebuilds exactly the state
    // the command handler decided on.
    @Override
    public boolean equals(Object other) {
        return other instanceof Draw that && grantId.equals(that.grantId) && outstanding.equals(that.outstanding)
                && java.util.Objects.equals(billedBy, that.billedBy);
    }

    @Override
    public int hashCode() {
        return grantId.hashCode();
    }
}
