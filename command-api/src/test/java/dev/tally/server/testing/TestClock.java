package dev.tally.server.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The clock of the server {@link ServerTest}s share. It follows the system clock (to the
 * microsecond, as the server's own clock does) so that schedulers, deadlines and timeouts run
 * as in production; a test that reasons about "now" (this month, an expiry) freezes it and then
 * moves it by hand, so that the month cannot turn and a grant cannot expire behind its back.
 * It never goes backwards, even when released after being moved ahead: the shared server's
 * events must not be stamped earlier than the ones before them.
 */
public final class TestClock extends Clock {

    private final Clock system = Clock.systemUTC();
    /** How far ahead of the system clock this one runs: only ever grows. */
    private Duration ahead = Duration.ZERO;
    /** The instant it stands still at; null while it follows the system clock. */
    private Instant frozen;

    /** Stops the clock where it is and answers that instant, which every test step then sees. */
    public synchronized Instant freeze() {
        frozen = instant();
        return frozen;
    }

    /** Moves a frozen clock forward. */
    public synchronized Instant advance(Duration by) {
        if (frozen == null) {
            throw new IllegalStateException("freeze the clock before moving it");
        }
        if (by.isNegative()) {
            throw new IllegalArgumentException("the clock never goes back: " + by);
        }
        frozen = frozen.plus(by);
        return frozen;
    }

    /** Follows the system clock again, from the frozen instant if that is ahead of it. */
    public synchronized void release() {
        if (frozen == null) {
            return;
        }
        Instant following = following();
        if (frozen.isAfter(following)) {
            ahead = ahead.plus(Duration.between(following, frozen));
        }
        frozen = null;
    }

    @Override
    public synchronized Instant instant() {
        return frozen != null ? frozen : following();
    }

    private Instant following() {
        return system.instant().plus(ahead).truncatedTo(ChronoUnit.MICROS);
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
