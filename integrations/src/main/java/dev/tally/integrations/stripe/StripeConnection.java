package dev.tally.integrations.stripe;

import com.stripe.StripeClient;

import java.util.Objects;

/** Builds the stripe-java client with Tally's limits instead of the SDK's defaults. */
public final class StripeConnection {

    /** Time to open a TCP connection to Stripe. */
    public static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    /** Time to wait for Stripe's answer; paying an invoice can take a few seconds at the card network. */
    public static final int READ_TIMEOUT_MILLIS = 30_000;
    /**
     * Retries of one call by the SDK on connection errors, 409, 429 and 5xx. Safe because every
     * write carries our own idempotency key, which the SDK resends unchanged: Stripe replays the
     * first answer instead of doing the work again.
     */
    public static final int MAX_NETWORK_RETRIES = 2;

    private StripeConnection() {
    }

    /** A client for {@code apiBase} (blank: Stripe itself) with the default timeouts. */
    public static StripeClient client(String apiKey, String apiBase) {
        return client(apiKey, apiBase, READ_TIMEOUT_MILLIS);
    }

    /** As {@link #client(String, String)} with another read timeout (tests shorten it to provoke timeouts). */
    public static StripeClient client(String apiKey, String apiBase, int readTimeoutMillis) {
        Objects.requireNonNull(apiKey, "apiKey");
        StripeClient.StripeClientBuilder builder = StripeClient.builder()
                .setApiKey(apiKey)
                .setConnectTimeout(CONNECT_TIMEOUT_MILLIS)
                .setReadTimeout(readTimeoutMillis)
                .setMaxNetworkRetries(MAX_NETWORK_RETRIES);
        if (apiBase != null && !apiBase.isBlank()) {
            builder.setApiBase(apiBase);
        }
        return builder.build();
    }
}
