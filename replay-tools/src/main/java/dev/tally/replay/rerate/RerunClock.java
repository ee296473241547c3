package dev.tally.replay.rerate;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The re-run's clock: before each command it is set to the instant the ledger recorded the
 * original, because the aggregate decides with "now" (recordedAt, issue-time funding, expiry,
 * low-balance checks) and must decide as it did then.
 */
final class RerunClock extends Clock {

    private Instant now;

    RerunClock(Instant start) {
        this.now = start;
    }

    void moveTo(Instant instant) {
        now = instant;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
