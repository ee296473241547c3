package dev.tally.integrations.stripe;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The customer directory of a test, in memory. */
final class MapCustomerDirectory implements StripeCustomerDirectory {

    private final Map<String, String> customers = new HashMap<>();

    @Override
    public Optional<String> customerOf(String accountId) {
        return Optional.ofNullable(customers.get(accountId));
    }

    @Override
    public void remember(String accountId, String customerId) {
        customers.putIfAbsent(accountId, customerId);
    }
}
