package dev.tally.integrations.stripe.webhook;

/**
 * What handling one webhook event came to. {@code APPLIED}: the ledger has the fact (recorded now
 * or before); {@code IGNORED}: nothing to record (unknown type, not Tally's, or older than a newer
 * fact); {@code PENDING}: it cannot apply yet and must be tried again.
 */
public record WebhookOutcome(Status status, String detail) {

    public enum Status { APPLIED, IGNORED, PENDING }

    public static WebhookOutcome applied(String detail) {
        return new WebhookOutcome(Status.APPLIED, detail);
    }

    public static WebhookOutcome ignored(String detail) {
        return new WebhookOutcome(Status.IGNORED, detail);
    }

    public static WebhookOutcome pending(String detail) {
        return new WebhookOutcome(Status.PENDING, detail);
    }
}
