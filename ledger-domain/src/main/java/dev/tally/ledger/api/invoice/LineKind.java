package dev.tally.ledger.api.invoice;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * The kinds of invoice line of spec section 5. {@code MINIMUM_CREDIT} follows the late usage line
 * whose part the minimum true-up of its period already paid, and takes that part off.
 */
public enum LineKind {
    @JsonProperty("usage") USAGE,
    @JsonProperty("late_usage") LATE_USAGE,
    @JsonProperty("charge") CHARGE,
    @JsonProperty("minimum") MINIMUM,
    @JsonProperty("minimum_credit") MINIMUM_CREDIT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
