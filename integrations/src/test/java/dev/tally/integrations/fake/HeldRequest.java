package dev.tally.integrations.fake;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One request a fake keeps in flight, its idempotency key taken and its work not yet done, until
 * the test releases it. The test thus sends a concurrent request with the same key at a moment it
 * knows, instead of one a sleep guesses, and learns when the fake has refused that request.
 */
public final class HeldRequest {

    /** The longest either side waits for the other: a broken test fails instead of hanging the build. */
    public static final Duration WAIT_MAX = Duration.ofSeconds(20);

    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch concurrentRefused = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    /** Returns once the fake holds the request. */
    public void awaitHeld() {
        await(held, "the fake to hold the request");
    }

    /** Returns once the fake has refused a request that came with the held request's key. */
    public void awaitConcurrentRefused() {
        await(concurrentRefused, "the fake to refuse a concurrent request with the same key");
    }

    /** Lets the held request do its work and answer. */
    public void release() {
        released.countDown();
    }

    /** The fake's side, on the held request's own thread: blocks until released (at most {@link #WAIT_MAX}). */
    public void hold() {
        held.countDown();
        try {
            if (!released.await(WAIT_MAX.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the test never released the held request");
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while held", interrupted);
        }
    }

    /** The fake's side: a request with the held request's key came and was refused. */
    public void refusedConcurrent() {
        concurrentRefused.countDown();
    }

    private static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(WAIT_MAX.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("waited " + WAIT_MAX + " for " + what);
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, interrupted);
        }
    }
}
