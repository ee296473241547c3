package dev.tally.integrations.stripe;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.StripeException;
import com.stripe.net.HttpHeaders;
import com.stripe.net.HttpURLConnectionClient;
import com.stripe.net.StripeRequest;
import com.stripe.net.StripeResponse;
import dev.tally.integrations.http.RetryAfter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * stripe-java's HTTP client, made to honour a 429's {@code Retry-After}. The SDK retries connection
 * failures, 409s and 5xx, but a 429 only when Stripe adds {@code Stripe-Should-Retry: true}, and it
 * never reads {@code Retry-After}: it would give up at once, or come back after its own half-second
 * backoff, long before the time Stripe named. Here a 429 whose {@code Retry-After} asks for at most
 * {@code waitMax} (and that does not say {@code Stripe-Should-Retry: false}) is handed to the SDK as
 * retryable, so that it spends one of the SDK's own retries ({@link StripeConnection#MAX_NETWORK_RETRIES})
 * and no more; the next attempt then waits until the named time has passed. A longer wait is left to
 * the caller, which sees the 429 as a rate-limit error.
 */
final class RetryAfterHttpClient extends HttpURLConnectionClient {

    /** Waits; tests pass one that records instead. */
    @FunctionalInterface
    interface Sleeper {
        Sleeper THREAD = wait -> Thread.sleep(wait.toMillis());

        void sleep(Duration wait) throws InterruptedException;
    }

    static final String SHOULD_RETRY = "Stripe-Should-Retry";

    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration waitMax;
    /** When the next attempt of the call on this thread may go out: the SDK retries on the caller's thread. */
    private final ThreadLocal<Instant> notBefore = new ThreadLocal<>();

    RetryAfterHttpClient(Clock clock, Sleeper sleeper, Duration waitMax) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.waitMax = waitMax;
    }

    /** One call with the SDK's retries; a wait the SDK did not use (no retry left) ends with the call. */
    @Override
    public StripeResponse requestWithRetries(StripeRequest request) throws StripeException {
        try {
            return super.requestWithRetries(request);
        } finally {
            notBefore.remove();
        }
    }

    /** One attempt. */
    @Override
    public StripeResponse request(StripeRequest request) throws ApiConnectionException {
        waitUntilAllowed();
        StripeResponse response = super.request(request);
        Optional<Duration> asked = askedWait(response);
        if (asked.isEmpty()) {
            return response;
        }
        notBefore.set(clock.instant().plus(asked.get()));
        return new StripeResponse(response.code(), retryable(response.headers()), response.body());
    }

    private Optional<Duration> askedWait(StripeResponse response) {
        if (response.code() != 429
                || "false".equals(response.headers().firstValue(SHOULD_RETRY).orElse(null))) {
            return Optional.empty();
        }
        return response.headers().firstValue("Retry-After")
                .flatMap(value -> RetryAfter.parse(value, clock.instant()))
                .filter(wait -> wait.compareTo(waitMax) <= 0);
    }

    private void waitUntilAllowed() throws ApiConnectionException {
        Instant allowed = notBefore.get();
        if (allowed == null) {
            return;
        }
        notBefore.remove();
        // The SDK has already slept its own backoff; only what is left of Stripe's wait remains.
        Duration left = Duration.between(clock.instant(), allowed);
        if (left.isNegative() || left.isZero()) {
            return;
        }
        try {
            sleeper.sleep(left);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new ApiConnectionException("interrupted while waiting out Stripe's Retry-After", interrupted);
        }
    }

    private static HttpHeaders retryable(HttpHeaders headers) {
        // Case-insensitive, so that the mark replaces a "stripe-should-retry" Stripe sent however spelt.
        Map<String, List<String>> marked = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.map().forEach((name, values) -> {
            if (name != null) {
                marked.put(name, values);
            }
        });
        marked.put(SHOULD_RETRY, List.of("true"));
        return HttpHeaders.of(marked);
    }
}
