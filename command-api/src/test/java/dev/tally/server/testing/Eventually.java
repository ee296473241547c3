package dev.tally.server.testing;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for what a server does on its own time (a processor, a saga, a fake's state), polling
 * every 100 ms; fails the test with {@code what} when it does not happen within the limit. The
 * one way the tests wait: never a fixed sleep, which is either too short on a busy machine or
 * wasted time on an idle one. A probe may throw (SQL does); an {@link AssertionError} it throws
 * fails the test at once, so a probe can also check what must never happen while waiting.
 */
public final class Eventually {

    public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(40);
    private static final long POLL_MILLIS = 100;

    /** A value a test waits for; null or an unfinished value means "not yet". */
    @FunctionalInterface
    public interface Probe<T> {
        T get() throws Exception;
    }

    /** A condition a test waits for. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    private Eventually() {
    }

    public static void awaitTrue(String what, Condition condition) {
        awaitTrue(what, DEFAULT_LIMIT, condition, () -> "");
    }

    public static void awaitTrue(String what, Duration limit, Condition condition) {
        awaitTrue(what, limit, condition, () -> "");
    }

    /** {@code state} describes, on failure, what the test saw instead. */
    public static void awaitTrue(String what, Duration limit, Condition condition, Supplier<String> state) {
        awaitValue(what, limit, condition::holds, Boolean.TRUE::equals, state);
    }

    /** The first non-null value {@code value} gives. */
    public static <T> T await(String what, Probe<T> value) {
        return awaitValue(what, DEFAULT_LIMIT, value, found -> true, () -> "");
    }

    /**
     * The first value that is {@code done}; on failure the message shows the last value seen, so
     * that a test waiting for, say, a 200 answer says which answer it kept getting.
     */
    public static <T> T awaitValue(String what, Duration limit, Probe<T> value, Predicate<T> done) {
        return awaitValue(what, limit, value, done, () -> "");
    }

    private static <T> T awaitValue(String what, Duration limit, Probe<T> value, Predicate<T> done,
                                    Supplier<String> state) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            T found = probe(what, value);
            if (found != null && done.test(found)) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit.toMillis() + " ms: " + what + "; last seen: " + found
                        + " " + state.get());
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new AssertionError(interrupted);
            }
        }
    }

    private static <T> T probe(String what, Probe<T> value) {
        try {
            return value.get();
        } catch (RuntimeException | Error failure) {
            throw failure;
        } catch (Exception failure) {
            throw new AssertionError("while waiting for " + what, failure);
        }
    }
}
