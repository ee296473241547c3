package dev.tally.projections.warehouse;

import dev.tally.ledger.api.account.AccountOpened;
import dev.tally.ledger.api.charge.ChargeRecorded;
import dev.tally.ledger.api.credit.CreditBalanceDepleted;
import dev.tally.ledger.api.credit.CreditExpired;
import dev.tally.ledger.api.credit.CreditGranted;
import dev.tally.ledger.api.credit.CreditVoided;
import dev.tally.ledger.api.credit.LowCreditBalance;
import dev.tally.ledger.api.invoice.InvoiceIssued;
import dev.tally.ledger.api.invoice.InvoiceVoided;
import dev.tally.ledger.api.money.Money;
import dev.tally.ledger.api.payment.PaymentRecorded;
import dev.tally.ledger.api.payment.PaymentRefunded;
import dev.tally.ledger.api.plan.PlanPublished;
import dev.tally.ledger.api.projection.ProjectionEventSkipped;
import dev.tally.ledger.api.usage.UsageBatchRecorded;
import dev.tally.ledger.api.usage.UsageRecorded;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The columns an analyst filters on, taken from the event types that have them: when the fact
 * happened in business terms ({@code occurredAt}; null where it is simply when the ledger
 * recorded it), the money it moved, and the meter and quantity of usage. Every other field stays
 * in the payload column.
 */
record EventFigures(Instant occurredAt, BigDecimal amount, String currency, String meter, BigDecimal quantity) {

    private static final EventFigures NONE = new EventFigures(null, null, null, null, null);

    /** Which amount stands for an event: what it charges, grants, forfeits, bills, receives or returns. */
    static EventFigures of(Object payload) {
        if (payload instanceof UsageRecorded usage) {
            return new EventFigures(usage.timestamp(), usage.accrual().amount(), usage.accrual().currency(),
                    usage.meter(), usage.quantity());
        }
        if (payload instanceof UsageBatchRecorded batch) {
            return ofBatch(batch);
        }
        if (payload instanceof ChargeRecorded charge) {
            return money(charge.timestamp(), charge.amount());
        }
        if (payload instanceof CreditGranted grant) {
            return money(grant.grantedAt(), grant.amount());
        }
        if (payload instanceof CreditExpired expiry) {
            // It expired at expiresAt; the scheduler may have recorded it a little later.
            return money(expiry.expiresAt(), expiry.forfeited());
        }
        if (payload instanceof CreditVoided voided) {
            return money(voided.voidedAt(), voided.forfeited());
        }
        if (payload instanceof LowCreditBalance low) {
            return money(low.at(), low.balance());
        }
        if (payload instanceof CreditBalanceDepleted depleted) {
            return new EventFigures(depleted.at(), null, null, null, null);
        }
        if (payload instanceof InvoiceIssued invoice) {
            return money(invoice.issuedAt(), invoice.total());
        }
        if (payload instanceof InvoiceVoided voided) {
            return money(voided.voidedAt(), voided.writtenOff());
        }
        if (payload instanceof PaymentRecorded payment) {
            return money(payment.receivedAt(), payment.amount());
        }
        if (payload instanceof PaymentRefunded refund) {
            return money(refund.refundedAt(), refund.amount());
        }
        if (payload instanceof AccountOpened opened) {
            return new EventFigures(opened.openedAt(), null, opened.currency(), null, null);
        }
        if (payload instanceof PlanPublished plan) {
            return new EventFigures(plan.publishedAt(), null, plan.currency(), null, null);
        }
        if (payload instanceof ProjectionEventSkipped skipped) {
            // No amount: a skip only leaves an earlier event out of the read models.
            return new EventFigures(skipped.skippedAt(), null, null, null, null);
        }
        return NONE;
    }

    private static EventFigures money(Instant occurredAt, Money money) {
        return money == null
                ? new EventFigures(occurredAt, null, null, null, null)
                : new EventFigures(occurredAt, money.amount(), money.currency(), null, null);
    }

    /**
     * A batch stands for its total accrual; its meter and quantity only when all its usage is of one
     * meter, since quantities of different meters do not add up. It happened when the ledger recorded it.
     */
    private static EventFigures ofBatch(UsageBatchRecorded batch) {
        BigDecimal amount = BigDecimal.ZERO;
        BigDecimal quantity = BigDecimal.ZERO;
        String meter = batch.usages().get(0).meter();
        for (UsageRecorded usage : batch.usages()) {
            amount = amount.add(usage.accrual().amount());
            quantity = quantity.add(usage.quantity());
            if (meter != null && !meter.equals(usage.meter())) {
                meter = null;
            }
        }
        return new EventFigures(null, amount, batch.usages().get(0).accrual().currency(), meter,
                meter == null ? null : quantity);
    }
}
