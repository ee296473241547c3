package dev.tally.ledger.limits;

import java.time.Instant;
import java.util.Optional;

/**
 * The instants the ledger accepts: within the years 2000 to 2999. PostgreSQL's timestamps end in
 * the year 294276, Java's reach a billion years either way, and a billing calendar stepping month
 * by month from year 1 would run for 24,000 periods; a bound well inside all three keeps every
 * layer able to store and step through any instant a client sends.
 */
public final class InstantLimits {

    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    /** Exclusive: the first instant of the year 3000. */
    public static final Instant END = Instant.parse("3000-01-01T00:00:00Z");

    private InstantLimits() {
    }

    /** What is wrong with the instant, or empty. */
    public static Optional<String> violation(Instant instant) {
        if (instant.isBefore(EARLIEST) || !instant.isBefore(END)) {
            return Optional.of("must lie within the years 2000 to 2999");
        }
        return Optional.empty();
    }
}
