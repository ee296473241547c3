package dev.tally.server.integration.stripe;

import dev.tally.integrations.stripe.CollectionResult;
import dev.tally.integrations.stripe.InvoiceCollection;
import dev.tally.integrations.stripe.StripeGateway;
import dev.tally.integrations.stripe.StripeOutcomeUnknown;
import dev.tally.integrations.stripe.StripeRefund;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.Supplier;

/**
 * Counts, as {@code tally.stripe.unknown.outcomes}, the Stripe calls whose outcome stayed unknown
 * after stripe-java's own network retries: each is asked again later (the saga's retry deadline,
 * the customer processor's next attempt), so the count is the sync's retries.
 */
final class CountedStripeGateway implements StripeGateway {

    private final StripeGateway stripe;
    private final Counter unknown;

    CountedStripeGateway(StripeGateway stripe, MeterRegistry registry) {
        this.stripe = stripe;
        this.unknown = Counter.builder("tally.stripe.unknown.outcomes")
                .description("Stripe calls whose outcome was unknown (timeout, reset, 5xx, 429) and are asked again")
                .register(registry);
    }

    @Override
    public String createCustomer(String accountId, String name, String email) {
        return counted(() -> stripe.createCustomer(accountId, name, email));
    }

    @Override
    public CollectionResult collect(InvoiceCollection collection, String customerId, int attempt) {
        return counted(() -> stripe.collect(collection, customerId, attempt));
    }

    @Override
    public List<String> paymentIntentsOf(String stripeInvoiceId) {
        return counted(() -> stripe.paymentIntentsOf(stripeInvoiceId));
    }

    @Override
    public List<StripeRefund> refundsOf(String chargeId) {
        return counted(() -> stripe.refundsOf(chargeId));
    }

    private <T> T counted(Supplier<T> call) {
        try {
            return call.get();
        } catch (StripeOutcomeUnknown outcome) {
            unknown.increment();
            throw outcome;
        }
    }
}
