package dev.tally.ledger.api.usage;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The three answers a usage submission can get. */
public enum UsageStatus {
    @JsonProperty("accepted") ACCEPTED,
    @JsonProperty("duplicate") DUPLICATE,
    @JsonProperty("rejected") REJECTED
}
