package dev.tally.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Builds the usual starting point of a test: a plan, an account on it, and helpers to act on it. */
public final class LedgerScenario {

    private final Api api;
    private final String key;
    public final String planId;
    public final String accountId;

    private LedgerScenario(Api api, String key, String planId, String accountId) {
        this.api = api;
        this.key = key;
        this.planId = planId;
        this.accountId = accountId;
    }

    /**
     * A USD plan effective since 2026-01-01 with {@code gpu_seconds} per unit at 0.002 and
     * {@code images} graduated (first 100 at 0.04, then 0.02), and an account on it.
     */
    public static LedgerScenario open(Api api, String key) {
        String planId = Api.unique("plan");
        Api.Response plan = api.post("/v1/plans", key, """
                {"planId":"%s","currency":"USD","effectiveFrom":"2026-01-01T00:00:00Z","prices":[
                  {"meter":"gpu_seconds","model":"per_unit","unitPrice":"0.002"},
                  {"meter":"images","model":"graduated","tiers":[{"upTo":"100","unitPrice":"0.04"},{"upTo":null,"unitPrice":"0.02"}]}
                ]}""".formatted(planId));
        assertThat(plan.status()).as(plan.raw().body()).isEqualTo(201);
        String accountId = Api.unique("acct");
        Api.Response account = api.post("/v1/accounts", key, """
                {"accountId":"%s","name":"Test Co","currency":"USD","planId":"%s","billingStart":"2026-01-01T00:00:00Z"}
                """.formatted(accountId, planId));
        assertThat(account.status()).as(account.raw().body()).isEqualTo(201);
        return new LedgerScenario(api, key, planId, accountId);
    }

    public Api.Response usage(String idempotencyKey, String meter, String quantity, Instant timestamp) {
        return api.post("/v1/usage", key, """
                {"events":[{"idempotencyKey":"%s","accountId":"%s","meter":"%s","quantity":"%s","timestamp":"%s"}]}
                """.formatted(idempotencyKey, accountId, meter, quantity, timestamp));
    }

    public Api.Response balance(long minPosition) {
        return api.get("/v1/accounts/" + accountId + "/balance?minPosition=" + minPosition, key);
    }

    public static Instant recently() {
        return Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
    }
}
