package dev.tally.ledger.api.credit;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether the customer paid for a grant ({@code prepaid}) or it was given away ({@code promotional}). */
public enum CreditKind {
    @JsonProperty("prepaid") PREPAID,
    @JsonProperty("promotional") PROMOTIONAL;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static CreditKind fromWireName(String name) {
        for (CreditKind kind : values()) {
            if (kind.wireName().equals(name)) {
                return kind;
            }
        }
        return null;
    }
}
