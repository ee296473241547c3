package dev.tally.integrations.stripe.webhook;

import java.util.Optional;

/**
 * Which ledger payment a Stripe PaymentIntent became. Refunds and disputes name only the charge's
 * PaymentIntent; this is how they find the payment (and its account) they reverse.
 */
public interface StripePaymentLinks {

    record PaymentLink(String accountId, String paymentId) {
    }

    Optional<PaymentLink> paymentOf(String paymentIntentId);

    void remember(String paymentIntentId, PaymentLink link);
}
