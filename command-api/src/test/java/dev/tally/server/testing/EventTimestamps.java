package dev.tally.server.testing;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What the tests know of the event store's timestamps: Axon stamps each event with the system clock
 * (the ledger's own clock does not reach them) and the store keeps them to the millisecond. The
 * balance "as of" an instant is folded from them.
 */
public final class EventTimestamps {

    private EventTimestamps() {
    }

    /**
     * An instant after every event stored so far and before every event stored from now on: now, by
     * the system clock, returned once that clock has reached a later millisecond. It waits on the
     * clock itself, at most a millisecond, rather than sleeping for a guessed time.
     */
    public static Instant betweenEvents() {
        Instant between = Instant.now();
        while (!Instant.now().truncatedTo(ChronoUnit.MILLIS).isAfter(between)) {
            Thread.onSpinWait();
        }
        return between;
    }
}
