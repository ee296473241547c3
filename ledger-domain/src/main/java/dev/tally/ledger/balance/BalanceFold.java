package dev.tally.ledger.balance;

import dev.tally.ledger.api.account.AccountOpened;
import dev.tally.ledger.api.charge.ChargeRecorded;
import dev.tally.ledger.api.credit.CreditExpired;
import dev.tally.ledger.api.credit.CreditGranted;
import dev.tally.ledger.api.credit.CreditMovement;
import dev.tally.ledger.api.credit.CreditVoided;
import dev.tally.ledger.api.credit.Funding;
import dev.tally.ledger.api.invoice.InvoiceIssued;
import dev.tally.ledger.api.invoice.InvoiceVoided;
import dev.tally.ledger.api.invoice.ReturnedCredit;
import dev.tally.ledger.api.invoice.Settlement;
import dev.tally.ledger.api.payment.PaymentRecorded;
import dev.tally.ledger.api.payment.PaymentRefunded;
import dev.tally.ledger.api.projection.ProjectionEventSkipped;
import dev.tally.ledger.api.usage.UsageBatchRecorded;
import dev.tally.ledger.api.usage.UsageRecorded;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The balance figures of spec section 8 folded from an account's events, in memory. The balance
 * projection computes the same figures in SQL; this fold answers "as of" questions by replaying
 * the history up to an instant, and is the reference the projection is tested against.
 */
public final class BalanceFold {

    /** One grant as the fold sees it. */
    public record GrantState(CreditGranted granted, BigDecimal remaining, String status) {
    }

    private String currency;
    private final Map<String, GrantState> grants = new LinkedHashMap<>();
    private BigDecimal unbilled = BigDecimal.ZERO;
    private BigDecimal unappliedCash = BigDecimal.ZERO;
    private BigDecimal invoicedOutstanding = BigDecimal.ZERO;

    public void apply(Object event) {
        if (event instanceof AccountOpened opened) {
            currency = opened.currency();
        } else if (event instanceof UsageRecorded || event instanceof UsageBatchRecorded) {
            UsageBatchRecorded.usagesIn(event).forEach(usage -> fund(usage.funding()));
        } else if (event instanceof ChargeRecorded charge) {
            fund(charge.funding());
        } else if (event instanceof CreditGranted granted) {
            grants.put(granted.grantId(), new GrantState(granted, granted.amount().amount(), "active"));
        } else if (event instanceof CreditVoided voided) {
            end(voided.grantId(), "voided");
        } else if (event instanceof CreditExpired expired) {
            end(expired.grantId(), "expired");
        } else if (event instanceof InvoiceIssued invoice) {
            for (CreditMovement drawn : invoice.issueFunding().drawn()) {
                change(drawn.grantId(), drawn.amount().amount().negate());
            }
            unbilled = unbilled.subtract(invoice.billedUncovered().amount());
            BigDecimal settled = invoice.amountSettledAtIssue().amount();
            invoicedOutstanding = invoicedOutstanding.add(invoice.total().amount()).subtract(settled);
            unappliedCash = unappliedCash.subtract(settled);
        } else if (event instanceof InvoiceVoided voided) {
            invoicedOutstanding = invoicedOutstanding.subtract(voided.writtenOff().amount());
            for (ReturnedCredit credit : voided.returnedCredits()) {
                if (!credit.forfeited()) {
                    change(credit.grantId(), credit.amount().amount());
                }
            }
        } else if (event instanceof PaymentRecorded payment) {
            unappliedCash = unappliedCash.add(payment.unapplied().amount());
            invoicedOutstanding = invoicedOutstanding.subtract(settled(payment.settlements()));
        } else if (event instanceof PaymentRefunded refund) {
            unappliedCash = unappliedCash.subtract(refund.fromUnapplied().amount());
            invoicedOutstanding = invoicedOutstanding.add(settled(refund.reopened()));
        } else if (event instanceof ProjectionEventSkipped) {
            // Moves no figure. The event it skips comes earlier in the stream, so a caller that
            // honours skips leaves that event out before folding (see SkippedEvents).
            return;
        }
    }

    private void fund(Funding funding) {
        for (CreditMovement drawn : funding.drawn()) {
            change(drawn.grantId(), drawn.amount().amount().negate());
        }
        for (CreditMovement restored : funding.restored()) {
            change(restored.grantId(), restored.amount().amount());
        }
        unbilled = unbilled.add(funding.uncoveredChange().amount());
    }

    private static BigDecimal settled(List<Settlement> settlements) {
        return settlements.stream().map(settlement -> settlement.amount().amount()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private void change(String grantId, BigDecimal amount) {
        GrantState grant = grants.get(grantId);
        grants.put(grantId, new GrantState(grant.granted(), grant.remaining().add(amount), grant.status()));
    }

    private void end(String grantId, String status) {
        GrantState grant = grants.get(grantId);
        grants.put(grantId, new GrantState(grant.granted(), BigDecimal.ZERO, status));
    }

    public String currency() {
        return currency;
    }

    /** Σ remainders of grants neither voided nor expired. */
    public BigDecimal creditBalance() {
        return grants.values().stream().filter(grant -> grant.status().equals("active")).map(GrantState::remaining)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Σ remainders of every grant (ended ones hold zero): what the account's credits ledger account must show. */
    public BigDecimal grantRemainders() {
        BigDecimal sum = BigDecimal.ZERO;
        for (GrantState grant : grants.values()) {
            sum = sum.add(grant.remaining());
        }
        return sum;
    }

    public BigDecimal unbilled() {
        return unbilled;
    }

    public BigDecimal unappliedCash() {
        return unappliedCash;
    }

    /** Σ (total − paid) over issued invoices that are not void. */
    public BigDecimal invoicedOutstanding() {
        return invoicedOutstanding;
    }

    /** unbilled + invoicedOutstanding − unappliedCash. */
    public BigDecimal amountDue() {
        return unbilled.add(invoicedOutstanding).subtract(unappliedCash);
    }

    public List<GrantState> grants() {
        return new ArrayList<>(grants.values());
    }
}
