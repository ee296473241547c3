package dev.tally.integrations.stripe;

import com.stripe.StripeClient;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/** Builds the stripe-java client with Tally's limits instead of the SDK's defaults. */
public final class StripeConnection {

    /** Time to open a TCP connection to Stripe. */
    public static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    /** Time to wait for Stripe's answer; paying an invoice can take a few seconds at the card network. */
    public static final int READ_TIMEOUT_MILLIS = 30_000;
    /**
     * Retries of one call by the SDK on connection errors, 409, 5xx, and 429 that name their wait
     * ({@link RetryAfterHttpClient}). Safe because every write carries our own idempotency key,
     * which the SDK resends unchanged: Stripe replays the first answer instead of doing the work again.
     */
    public static final int MAX_NETWORK_RETRIES = 2;
    /**
     * The longest {@code Retry-After} a call waits out within its retries; a longer one fails the
     * call (an unknown outcome, asked about again on the collection's own schedule), so that one
     * answer cannot park a thread.
     */
    public static final Duration RETRY_AFTER_MAX = Duration.ofSeconds(10);

    private StripeConnection() {
    }

    /** A client for {@code apiBase} (blank: Stripe itself) with the default timeouts. */
    public static StripeClient client(String apiKey, String apiBase) {
        return client(apiKey, apiBase, READ_TIMEOUT_MILLIS);
    }

    /** As {@link #client(String, String)} with another read timeout (tests shorten it to provoke timeouts). */
    public static StripeClient client(String apiKey, String apiBase, int readTimeoutMillis) {
        return client(apiKey, apiBase, readTimeoutMillis, Clock.systemUTC(), RetryAfterHttpClient.Sleeper.THREAD);
    }

    /** As {@link #client(String, String, int)} with the clock and the waits of {@code Retry-After} under the test's control. */
    static StripeClient client(String apiKey, String apiBase, int readTimeoutMillis, Clock clock,
                               RetryAfterHttpClient.Sleeper sleeper) {
        Objects.requireNonNull(apiKey, "apiKey");
        StripeClient.StripeClientBuilder builder = StripeClient.builder()
                .setApiKey(apiKey)
                .setConnectTimeout(CONNECT_TIMEOUT_MILLIS)
                .setReadTimeout(readTimeoutMillis)
                .setMaxNetworkRetries(MAX_NETWORK_RETRIES)
                .setHttpClient(new RetryAfterHttpClient(clock, sleeper, RETRY_AFTER_MAX));
        if (apiBase != null && !apiBase.isBlank()) {
            builder.setApiBase(apiBase);
        }
        return builder.build();
    }
}
