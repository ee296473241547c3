package dev.tally.integrations.stripe;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A Stripe for saga fixtures: answers collections from a script and remembers the attempt numbers asked. */
final class ScriptedStripe implements StripeGateway {

    private final Deque<Object> answers = new ArrayDeque<>();
    final List<Integer> attempts = new ArrayList<>();
    final List<String> customersCreated = new ArrayList<>();

    ScriptedStripe then(CollectionResult result) {
        answers.add(result);
        return this;
    }

    ScriptedStripe thenUnknown() {
        answers.add(new StripeOutcomeUnknown("timed out", null));
        return this;
    }

    ScriptedStripe thenFailing(RuntimeException failure) {
        answers.add(failure);
        return this;
    }

    /** What the script holds that nobody asked for: a scripted answer never given tested nothing. */
    List<Object> unusedAnswers() {
        return List.copyOf(answers);
    }

    @Override
    public String createCustomer(String accountId, String name, String email) {
        customersCreated.add(accountId);
        return "cus_" + accountId;
    }

    @Override
    public CollectionResult collect(InvoiceCollection collection, String customerId, int attempt) {
        attempts.add(attempt);
        Object answer = answers.poll();
        if (answer == null) {
            throw new AssertionError("Stripe was asked more often than the script says");
        }
        if (answer instanceof RuntimeException failure) {
            throw failure;
        }
        return (CollectionResult) answer;
    }

    @Override
    public List<String> paymentIntentsOf(String stripeInvoiceId) {
        return List.of();
    }

    @Override
    public List<StripeRefund> refundsOf(String chargeId) {
        return List.of();
    }
}
