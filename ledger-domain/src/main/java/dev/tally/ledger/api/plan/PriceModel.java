package dev.tally.ledger.api.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The four ways a meter's cumulative quantity in a period is priced (spec section 2). */
public enum PriceModel {
    @JsonProperty("per_unit") PER_UNIT,
    @JsonProperty("graduated") GRADUATED,
    @JsonProperty("volume") VOLUME,
    @JsonProperty("package") PACKAGE;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static PriceModel fromWireName(String name) {
        for (PriceModel model : values()) {
            if (model.wireName().equals(name)) {
                return model;
            }
        }
        return null;
    }
}
