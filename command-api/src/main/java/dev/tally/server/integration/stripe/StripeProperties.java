package dev.tally.server.integration.stripe;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code tally.stripe.*}: the API key (blank: the sync is off), the webhook signing secret, another
 * API base URL (a fake in tests), and the limits of the collection's retries and of db-scheduler's
 * polling. Invoices fall due by their account's payment terms, which the ledger keeps. Secrets never
 * appear in {@link #toString()}.
 */
@ConfigurationProperties(prefix = "tally.stripe")
public record StripeProperties(String apiKey, String webhookSecret, String baseUrl, Duration retryDelay,
                               Duration readTimeout, Duration schedulerPollingInterval) {

    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_SCHEDULER_POLLING_INTERVAL = Duration.ofSeconds(5);

    public boolean syncEnabled() {
        return apiKey != null && !apiKey.isBlank();
    }

    public boolean webhooksEnabled() {
        return webhookSecret != null && !webhookSecret.isBlank();
    }

    public Duration retryDelayOrDefault() {
        return retryDelay == null ? dev.tally.integrations.stripe.CollectionSettings.DEFAULT_RETRY_DELAY : retryDelay;
    }

    public Duration readTimeoutOrDefault() {
        return readTimeout == null ? DEFAULT_READ_TIMEOUT : readTimeout;
    }

    public Duration schedulerPollingIntervalOrDefault() {
        return schedulerPollingInterval == null ? DEFAULT_SCHEDULER_POLLING_INTERVAL : schedulerPollingInterval;
    }

    @Override
    public String toString() {
        return "StripeProperties[apiKey=" + (syncEnabled() ? "(set)" : "(none)") + ", webhookSecret="
                + (webhooksEnabled() ? "(set)" : "(none)") + ", baseUrl=" + baseUrl + "]";
    }
}
