package dev.tally.ledger.model;

import dev.tally.ledger.api.credit.CreditKind;
import dev.tally.ledger.api.plan.MeterPrice;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One generated history of one account on one plan: the plan's prices and minimum commitment
 * (null: none), how the account is opened, and the steps sent to it in order. Every step carries
 * the instant the ledger's clock reads when it is sent ({@code now}); those instants never go
 * backwards. The same scenario is fed to {@link SpecCalculator} and to the real aggregates.
 */
record Scenario(String currency, String planId, Instant planEffectiveFrom, List<MeterPrice> prices,
                BigDecimal minimumCommitment, String accountId, int billingAnchorDay, Instant openedAt,
                Instant billingStart, List<Step> steps) {

    Scenario {
        prices = List.copyOf(prices);
        steps = List.copyOf(steps);
    }

    /** The same account and plan with other steps: the generator's view of a scenario still being written. */
    Scenario withSteps(List<Step> otherSteps) {
        return new Scenario(currency, planId, planEffectiveFrom, prices, minimumCommitment, accountId,
                billingAnchorDay, openedAt, billingStart, otherSteps);
    }

    /** Something sent to the account at {@code now}. */
    sealed interface Step permits UsageBatch, Grant, VoidGrant, ExpireGrant, Charge, Payment, Refund, ClosePeriod,
            VoidInvoice {
        Instant now();
    }

    /** One {@code RecordUsage} command; each item stands or falls alone. */
    record UsageBatch(Instant now, List<UsageItem> items) implements Step {
        UsageBatch {
            items = List.copyOf(items);
        }
    }

    record UsageItem(String idempotencyKey, String meter, BigDecimal quantity, Instant timestamp) {
    }

    /** A credit grant; null effectiveAt, expiresAt and priority take the spec's defaults. */
    record Grant(Instant now, String grantId, BigDecimal amount, CreditKind kind, Instant effectiveAt,
                 Instant expiresAt, Integer priority, String description) implements Step {
    }

    record VoidGrant(Instant now, String grantId) implements Step {
    }

    /** What the durable expiry scheduler sends once it believes a grant's expiresAt has passed. */
    record ExpireGrant(Instant now, String grantId) implements Step {
    }

    /** A manual charge (positive) or adjustment (negative); a null timestamp means now. */
    record Charge(Instant now, String chargeId, BigDecimal amount, String description, Instant timestamp)
            implements Step {
    }

    record Payment(Instant now, String paymentId, BigDecimal amount, String method, String externalRef)
            implements Step {
    }

    record Refund(Instant now, String refundId, String paymentId, BigDecimal amount) implements Step {
    }

    /** A {@code CloseBillingPeriod} for the period starting at {@code periodStart}, as the API or the scheduler sends it. */
    record ClosePeriod(Instant now, Instant periodStart) implements Step {
    }

    /** Voids the invoice {@code invoiceId}, giving its credit back when {@code restoreCredits}. */
    record VoidInvoice(Instant now, String invoiceId, boolean restoreCredits) implements Step {
    }
}
