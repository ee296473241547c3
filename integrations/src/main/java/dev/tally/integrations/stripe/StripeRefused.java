package dev.tally.integrations.stripe;

/**
 * Stripe refused the request for what it holds (a 400 {@code invalid_request_error}): asking again
 * with the same content cannot succeed, unlike an {@link StripeOutcomeUnknown}. The customer sync
 * dead-letters the account's event on it, so one account's data never holds up every other's.
 */
public class StripeRefused extends RuntimeException {

    public StripeRefused(String message, Throwable cause) {
        super(message, cause);
    }
}
