package dev.tally.server.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for what a server does on its own time (a processor, a saga, a fake's state), polling
 * every 100 ms; fails the test with {@code what} when it does not happen within the limit.
 */
public final class Eventually {

    public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(40);
    private static final long POLL_MILLIS = 100;

    private Eventually() {
    }

    public static void awaitTrue(String what, BooleanSupplier condition) {
        await(what, DEFAULT_LIMIT, () -> condition.getAsBoolean() ? Boolean.TRUE : null, () -> "");
    }

    public static void awaitTrue(String what, Duration limit, BooleanSupplier condition, Supplier<String> state) {
        await(what, limit, () -> condition.getAsBoolean() ? Boolean.TRUE : null, state);
    }

    /** The first non-null value {@code value} gives. */
    public static <T> T await(String what, Supplier<T> value) {
        return await(what, DEFAULT_LIMIT, value, () -> "");
    }

    private static <T> T await(String what, Duration limit, Supplier<T> value, Supplier<String> state) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            T found = value.get();
            if (found != null) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit.toSeconds() + " s: " + what + " " + state.get());
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new AssertionError(interrupted);
            }
        }
    }
}
