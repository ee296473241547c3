package dev.tally.integrations.orb;

import dev.tally.integrations.http.RetryAfter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before the next try: what the server asked for ({@code Retry-After-Ms}, then
 * {@code Retry-After} in seconds or as an HTTP date, the order Orb's SDK honours them), capped;
 * otherwise exponential backoff from {@code first}, capped at {@code max}, with jitter so that
 * several processors do not retry in lockstep.
 */
final class OrbRetryDelays {

    private final Duration first;
    private final Duration max;
    private final Duration serverAskedMax;

    OrbRetryDelays(Duration first, Duration max, Duration serverAskedMax) {
        this.first = first;
        this.max = max;
        this.serverAskedMax = serverAskedMax;
    }

    /** The delay after {@code attempts} tries, the last of which answered {@code last} (null: an I/O failure). */
    Duration after(int attempts, OrbHttpResponse last, Instant now) {
        Duration asked = last == null ? null : askedBy(last, now);
        if (asked != null) {
            return asked.compareTo(serverAskedMax) > 0 ? serverAskedMax : asked;
        }
        int doublings = Math.min(Math.max(attempts - 1, 0), 20);
        long millis = Math.min(max.toMillis(), first.toMillis() << doublings);
        // Between 75 % and 100 % of the exponential delay: jitter without ever retrying at once.
        double jitter = 0.75 + 0.25 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis((long) (millis * jitter));
    }

    private static Duration askedBy(OrbHttpResponse response, Instant now) {
        if (response.retryAfterMillis() != null) {
            try {
                return Duration.ofMillis(Math.max(0, Long.parseLong(response.retryAfterMillis().trim())));
            } catch (NumberFormatException ignored) {
                // A malformed header is as good as none.
            }
        }
        return RetryAfter.parse(response.retryAfter(), now).orElse(null);
    }
}
