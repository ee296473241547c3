package dev.tally.ledger.account;

import java.time.Instant;

/** A meter within one billing period: the key of a cumulative quantity. */
record PeriodMeter(Instant periodStart, String meter) {
}
