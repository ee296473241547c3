package dev.tally.ledger;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What the aggregates need from their surroundings: the clock (controllable in tests) and the
 * configurable limits of the usage timestamp window.
 */
public record LedgerSettings(Clock clock, Duration backfillWindow, Duration futureTolerance) {

    public static final Duration DEFAULT_BACKFILL_WINDOW = Duration.ofDays(90);
    public static final Duration DEFAULT_FUTURE_TOLERANCE = Duration.ofMinutes(5);

    public LedgerSettings {
        Objects.requireNonNull(clock, "clock");
        if (backfillWindow == null || backfillWindow.isNegative() || backfillWindow.isZero()) {
            throw new IllegalArgumentException("backfill window must be positive");
        }
        if (futureTolerance == null || futureTolerance.isNegative()) {
            throw new IllegalArgumentException("future tolerance cannot be negative");
        }
    }

    public static LedgerSettings withClock(Clock clock) {
        return new LedgerSettings(clock, DEFAULT_BACKFILL_WINDOW, DEFAULT_FUTURE_TOLERANCE);
    }
}
