package dev.tally.ledger.calendar;

import java.time.Instant;

/** A billing period [start, end) in UTC. */
public record BillingPeriod(Instant start, Instant end) {

    public boolean contains(Instant instant) {
        return !instant.isBefore(start) && instant.isBefore(end);
    }
}
