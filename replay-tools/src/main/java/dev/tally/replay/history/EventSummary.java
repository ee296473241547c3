package dev.tally.replay.history;

import dev.tally.ledger.api.account.AccountOpened;
import dev.tally.ledger.api.charge.ChargeRecorded;
import dev.tally.ledger.api.credit.CreditBalanceDepleted;
import dev.tally.ledger.api.credit.CreditExpired;
import dev.tally.ledger.api.credit.CreditGranted;
import dev.tally.ledger.api.credit.CreditVoided;
import dev.tally.ledger.api.credit.Funding;
import dev.tally.ledger.api.credit.LowCreditBalance;
import dev.tally.ledger.api.account.ExternalCustomerLinked;
import dev.tally.ledger.api.invoice.InvoiceIssued;
import dev.tally.ledger.api.invoice.InvoiceOverdue;
import dev.tally.ledger.api.invoice.InvoicePaymentFailed;
import dev.tally.ledger.api.payment.PaymentDisputed;
import dev.tally.ledger.api.invoice.InvoiceVoided;
import dev.tally.ledger.api.money.CurrencyUnits;
import dev.tally.ledger.api.money.Money;
import dev.tally.ledger.api.payment.PaymentRecorded;
import dev.tally.ledger.api.payment.PaymentRefunded;
import dev.tally.ledger.api.plan.PlanPublished;
import dev.tally.ledger.api.projection.ProjectionEventSkipped;
import dev.tally.ledger.api.usage.UsageBatchRecorded;
import dev.tally.ledger.api.usage.UsageRecorded;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What an event means, in a few words a person can read: one formatter per event type. Types
 * without one (or unknown to this build) are left to the caller's fallback.
 */
final class EventSummary {

    private EventSummary() {
    }

    private static String usage(UsageRecorded usage) {
        String covered = usage.coveredByMinimum().isZero() ? ""
                : ", " + money(usage.coveredByMinimum()) + " covered by the minimum";
        return "%s %s, accrued %s%s%s%s (key %s)".formatted(usage.meter(), CurrencyUnits.normalize(usage.quantity())
                .toPlainString(), money(usage.accrual()), covered, funding(usage.funding()),
                usage.late() ? ", late" : "", usage.idempotencyKey());
    }

    static Optional<String> of(Object payload) {
        String summary = null;
        if (payload instanceof AccountOpened opened) {
            summary = "account opened: \"%s\", %s, plan %s, billed from %s on day %d".formatted(opened.name(),
                    opened.currency(), opened.planId(), opened.billingStart(), opened.billingAnchorDay());
        } else if (payload instanceof UsageRecorded usage) {
            summary = usage(usage);
        } else if (payload instanceof UsageBatchRecorded batch) {
            summary = batch.usages().size() + " usage events: "
                    + batch.usages().stream().map(EventSummary::usage).collect(Collectors.joining("; "));
        } else if (payload instanceof ChargeRecorded charge) {
            summary = "%s %s %s \"%s\"%s".formatted(charge.amount().amount().signum() < 0 ? "adjustment" : "charge",
                    charge.chargeId(), money(charge.amount()), charge.description(), funding(charge.funding()));
        } else if (payload instanceof CreditGranted grant) {
            summary = "%s credit %s granted: %s, effective %s%s".formatted(grant.kind().wireName(), grant.grantId(),
                    money(grant.amount()), grant.effectiveAt(),
                    grant.expiresAt() == null ? "" : ", expires " + grant.expiresAt());
        } else if (payload instanceof CreditVoided voided) {
            summary = "credit %s voided, %s forfeited%s".formatted(voided.grantId(), money(voided.forfeited()),
                    voided.reason() == null ? "" : " (" + voided.reason() + ")");
        } else if (payload instanceof CreditExpired expired) {
            summary = "credit %s expired, %s forfeited".formatted(expired.grantId(), money(expired.forfeited()));
        } else if (payload instanceof CreditBalanceDepleted) {
            summary = "credit balance depleted";
        } else if (payload instanceof LowCreditBalance low) {
            summary = "low credit balance: %s (threshold %s)".formatted(money(low.balance()), money(low.threshold()));
        } else if (payload instanceof InvoiceIssued invoice) {
            summary = "invoice %s issued for %s to %s: total %s (subtotal %s, credits %s)".formatted(invoice.number(),
                    invoice.periodStart(), invoice.periodEnd(), money(invoice.total()), money(invoice.subtotal()),
                    money(invoice.creditsApplied()));
        } else if (payload instanceof InvoiceVoided voided) {
            summary = "invoice %s voided, %s written off%s".formatted(voided.number(), money(voided.writtenOff()),
                    voided.reason() == null ? "" : " (" + voided.reason() + ")");
        } else if (payload instanceof PaymentRecorded payment) {
            summary = "payment %s received: %s by %s, %s unapplied".formatted(payment.paymentId(), money(payment.amount()),
                    payment.method(), money(payment.unapplied()));
        } else if (payload instanceof PaymentRefunded refund) {
            summary = "refund %s of payment %s: %s".formatted(refund.refundId(), refund.paymentId(), money(refund.amount()));
        } else if (payload instanceof ExternalCustomerLinked linked) {
            summary = "known to %s as customer %s".formatted(linked.system().name().charAt(0)
                    + linked.system().name().substring(1).toLowerCase(java.util.Locale.ROOT), linked.externalId());
        } else if (payload instanceof InvoicePaymentFailed failed) {
            summary = "collecting invoice %s failed: %s".formatted(failed.invoiceId(), failed.reason());
        } else if (payload instanceof InvoiceOverdue overdue) {
            summary = "invoice %s overdue since %s, %s owing".formatted(overdue.number(), overdue.dueAt(),
                    money(overdue.amountDue()));
        } else if (payload instanceof PaymentDisputed disputed) {
            summary = "payment %s disputed (%s): %s%s".formatted(disputed.paymentId(), disputed.disputeId(),
                    money(disputed.amount()), disputed.reason() == null ? "" : ", " + disputed.reason());
        } else if (payload instanceof PlanPublished plan) {
            summary = "plan %s version %d published: %s, %d meters, effective %s".formatted(plan.planId(), plan.version(),
                    plan.currency(), plan.prices().size(), plan.effectiveFrom());
        } else if (payload instanceof ProjectionEventSkipped skipped) {
            summary = "event %s at position %d left out of the %s views: %s".formatted(skipped.eventId(),
                    skipped.position(), skipped.processingGroup(), skipped.reason());
        }
        return Optional.ofNullable(summary);
    }

    private static String money(Money money) {
        return CurrencyUnits.format(money.amount(), money.currency()) + " " + money.currency();
    }

    private static String funding(Funding funding) {
        if (funding.drawn().isEmpty() && funding.restored().isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        if (!funding.drawn().isEmpty()) {
            text.append(", credit drawn ").append(money(funding.totalDrawn()));
        }
        if (!funding.restored().isEmpty()) {
            text.append(", credit restored ").append(money(funding.totalRestored()));
        }
        return text.toString();
    }
}
