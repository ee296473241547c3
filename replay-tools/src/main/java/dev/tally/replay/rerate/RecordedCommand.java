package dev.tally.replay.rerate;

import dev.tally.ledger.api.account.AccountOpened;
import dev.tally.ledger.api.account.OpenAccount;
import dev.tally.ledger.api.charge.ChargeRecorded;
import dev.tally.ledger.api.charge.RecordCharge;
import dev.tally.ledger.api.credit.CreditExpired;
import dev.tally.ledger.api.credit.CreditGranted;
import dev.tally.ledger.api.credit.CreditVoided;
import dev.tally.ledger.api.credit.ExpireCredit;
import dev.tally.ledger.api.credit.GrantCredit;
import dev.tally.ledger.api.credit.VoidCredit;
import dev.tally.ledger.api.invoice.CloseBillingPeriod;
import dev.tally.ledger.api.invoice.InvoiceIssued;
import dev.tally.ledger.api.invoice.InvoiceVoided;
import dev.tally.ledger.api.invoice.VoidInvoice;
import dev.tally.ledger.api.payment.PaymentRecorded;
import dev.tally.ledger.api.payment.PaymentRefunded;
import dev.tally.ledger.api.payment.RecordPayment;
import dev.tally.ledger.api.payment.RefundPayment;
import dev.tally.ledger.api.projection.ProjectionEventSkipped;
import java.time.Instant;
import java.util.Optional;

/**
 * The command that made a recorded event, and the instant the ledger handled it. Usage is batched
 * apart ({@link UsageBatch}). Events that are consequences of another command have none: low
 * balance and depletion announcements, and credit carried forward by an invoice (a grant with a
 * source invoice), which re-sending the close produces again.
 */
record RecordedCommand(Instant at, Object command, String origin) {

    static Optional<RecordedCommand> of(Object event) {
        if (event instanceof AccountOpened opened) {
            return made(opened.openedAt(), new OpenAccount(opened.accountId(), opened.name(), opened.currency(),
                    opened.planId(), opened.billingAnchorDay(), opened.billingStart(), opened.lowBalanceThreshold(),
                    opened.email(), opened.paymentTermsDays()), "opening of " + opened.accountId());
        }
        if (event instanceof CreditGranted granted) {
            return granted.carriedForward() ? Optional.empty()
                    : made(granted.grantedAt(), new GrantCredit(granted.accountId(), granted.grantId(),
                    granted.amount(), granted.kind(), granted.effectiveAt(), granted.expiresAt(), granted.priority(),
                    granted.description()), "grant " + granted.grantId());
        }
        if (event instanceof CreditVoided voided) {
            return made(voided.voidedAt(), new VoidCredit(voided.accountId(), voided.grantId(), voided.reason()),
                    "void of grant " + voided.grantId());
        }
        if (event instanceof CreditExpired expired) {
            return made(expired.recordedAt(), new ExpireCredit(expired.accountId(), expired.grantId()),
                    "expiry of grant " + expired.grantId());
        }
        if (event instanceof ChargeRecorded charge) {
            return made(charge.recordedAt(), new RecordCharge(charge.accountId(), charge.chargeId(), charge.amount(),
                    charge.description(), charge.timestamp()), "charge " + charge.chargeId());
        }
        if (event instanceof PaymentRecorded payment) {
            return made(payment.receivedAt(), new RecordPayment(payment.accountId(), payment.paymentId(),
                    payment.amount(), payment.method(), payment.externalRef()), "payment " + payment.paymentId());
        }
        if (event instanceof PaymentRefunded refund) {
            return made(refund.refundedAt(), new RefundPayment(refund.accountId(), refund.refundId(),
                    refund.paymentId(), refund.amount()), "refund " + refund.refundId());
        }
        if (event instanceof InvoiceIssued invoice) {
            return made(invoice.issuedAt(), new CloseBillingPeriod(invoice.accountId(), invoice.periodStart()),
                    "close of the period starting " + invoice.periodStart());
        }
        if (event instanceof InvoiceVoided voided) {
            // The event does not keep the request's restoreCredits; returned credit is what it leaves behind.
            // A void that asked for it but had nothing to return behaves as one that did not ask.
            return made(voided.voidedAt(), new VoidInvoice(voided.accountId(), voided.invoiceId(),
                    !voided.returnedCredits().isEmpty(), voided.reason()), "void of invoice " + voided.number());
        }
        if (event instanceof ProjectionEventSkipped) {
            // Not re-sent: a skip changes no figure of the aggregate, only what the read models show.
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<RecordedCommand> made(Instant at, Object command, String origin) {
        return Optional.of(new RecordedCommand(at, command, origin));
    }
}
