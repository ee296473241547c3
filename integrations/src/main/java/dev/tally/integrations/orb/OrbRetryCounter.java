package dev.tally.integrations.orb;

import java.util.concurrent.atomic.AtomicLong;

/** Counts the client's retries: the number the server exposes as a gauge. */
public final class OrbRetryCounter implements OrbRetryListener {

    private final AtomicLong retries = new AtomicLong();

    @Override
    public void retrying(String operation, String reason) {
        retries.incrementAndGet();
    }

    public long retries() {
        return retries.get();
    }
}
