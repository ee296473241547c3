package dev.tally.integrations.stripe;

import java.util.List;

/** The Stripe calls the ledger's integrations make; an interface so saga fixtures can stand in for Stripe. */
public interface StripeGateway {

    /** Creates (or, on a retry, finds again) the Stripe customer of a ledger account; returns its id. */
    String createCustomer(String accountId, String name, String email);

    /**
     * Brings Stripe to "invoice paid" for {@code collection}: finds or creates the invoice and its
     * items, finalizes it and pays it, each step only if Stripe shows it not yet done.
     *
     * @throws StripeOutcomeUnknown when Stripe's answer is unknown; call again with {@code attempt + 1}
     */
    CollectionResult collect(InvoiceCollection collection, String customerId, int attempt);

    /** The PaymentIntents that paid a Stripe invoice (to connect later refunds and disputes to the payment). */
    List<String> paymentIntentsOf(String stripeInvoiceId);

    /** The refunds of a charge (current API versions no longer put them in the charge.refunded event). */
    List<StripeRefund> refundsOf(String chargeId);
}
