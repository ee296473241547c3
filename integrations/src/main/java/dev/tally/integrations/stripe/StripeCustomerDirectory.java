package dev.tally.integrations.stripe;

import java.util.Optional;

/** Which Stripe customer stands for which ledger account, as far as this integration has linked them. */
public interface StripeCustomerDirectory {

    Optional<String> customerOf(String accountId);

    void remember(String accountId, String customerId);
}
