package dev.tally.ledger.api.invoice;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** The four kinds of invoice line of spec section 5, in the order an invoice lists them. */
public enum LineKind {
    @JsonProperty("usage") USAGE,
    @JsonProperty("late_usage") LATE_USAGE,
    @JsonProperty("charge") CHARGE,
    @JsonProperty("minimum") MINIMUM;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
