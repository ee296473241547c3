package dev.tally.integrations.stripe;

/**
 * Stripe may or may not have done the work (timeout, dropped connection, 5xx, rate limit). The only
 * safe reaction is to ask Stripe again later, never to charge anew.
 */
public class StripeOutcomeUnknown extends RuntimeException {

    public StripeOutcomeUnknown(String message, Throwable cause) {
        super(message, cause);
    }
}
