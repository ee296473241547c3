package dev.tally.ledger.journal;

import static dev.tally.ledger.api.journal.LedgerAccounts.BREAKAGE;
import static dev.tally.ledger.api.journal.LedgerAccounts.CASH;
import static dev.tally.ledger.api.journal.LedgerAccounts.PROMOTIONS;
import static dev.tally.ledger.api.journal.LedgerAccounts.REVENUE_FEES;
import static dev.tally.ledger.api.journal.LedgerAccounts.ROUNDING;
import static dev.tally.ledger.api.journal.LedgerAccounts.credits;
import static dev.tally.ledger.api.journal.LedgerAccounts.receivable;
import static dev.tally.ledger.api.journal.LedgerAccounts.usageRevenue;

import dev.tally.ledger.api.charge.ChargeRecorded;
import dev.tally.ledger.api.credit.CreditExpired;
import dev.tally.ledger.api.credit.CreditGranted;
import dev.tally.ledger.api.credit.CreditKind;
import dev.tally.ledger.api.credit.CreditVoided;
import dev.tally.ledger.api.credit.Funding;
import dev.tally.ledger.api.invoice.InvoiceIssued;
import dev.tally.ledger.api.invoice.InvoiceVoided;
import dev.tally.ledger.api.invoice.ReturnedCredit;
import dev.tally.ledger.api.invoice.RevenueShare;
import dev.tally.ledger.api.journal.Posting;
import dev.tally.ledger.api.money.Money;
import dev.tally.ledger.api.payment.PaymentRecorded;
import dev.tally.ledger.api.payment.PaymentRefunded;
import dev.tally.ledger.api.projection.ProjectionEventSkipped;
import dev.tally.ledger.api.usage.UsageBatchRecorded;
import dev.tally.ledger.api.usage.UsageRecorded;
import java.util.ArrayList;
import java.util.List;

/**
 * The double-entry postings of every monetary event (spec section 7). Pure: the same event
 * always gives the same postings, so the journal projection can be rebuilt at any time.
 * Zero-amount lines are left out; every entry balances.
 */
public final class JournalEntries {

    private JournalEntries() {
    }

    public static List<Posting> postingsFor(Object event) {
        List<Posting> postings = new ArrayList<>();
        if (event instanceof UsageRecorded usage) {
            usagePostings(postings, usage);
        } else if (event instanceof UsageBatchRecorded batch) {
            postings.addAll(BatchPostings.summed(batch.usages().stream().map(usage -> {
                List<Posting> own = new ArrayList<>(3);
                usagePostings(own, usage);
                return new BatchPostings.Source(usage.meter(), own);
            }).toList()));
        } else if (event instanceof ChargeRecorded charge) {
            String description = charge.amount().isNegative() ? "adjustment " : "charge ";
            revenueFunded(postings, charge.accountId(), REVENUE_FEES, charge.amount(),
                    Money.zero(charge.amount().currency()), charge.funding(),
                    description + charge.chargeId() + descriptionSuffix(charge.description()));
        } else if (event instanceof CreditGranted grant && grant.carriedForward()) {
            String description = "credit carried forward from invoice " + grant.sourceInvoiceId();
            add(postings, Posting.debit(receivable(grant.accountId()), grant.amount(), description));
            add(postings, Posting.credit(credits(grant.accountId()), grant.amount(), description));
        } else if (event instanceof CreditGranted grant) {
            String source = grant.kind() == CreditKind.PREPAID ? CASH : PROMOTIONS;
            add(postings, Posting.debit(source, grant.amount(), grant.kind().wireName() + " grant " + grant.grantId()));
            add(postings, Posting.credit(credits(grant.accountId()), grant.amount(),
                    grant.kind().wireName() + " grant " + grant.grantId()));
        } else if (event instanceof CreditExpired expired) {
            forfeit(postings, expired.accountId(), expired.kind(), expired.forfeited(), "expiry of grant " + expired.grantId());
        } else if (event instanceof CreditVoided voided) {
            forfeit(postings, voided.accountId(), voided.kind(), voided.forfeited(), "void of grant " + voided.grantId());
        } else if (event instanceof InvoiceIssued invoice) {
            invoiceIssued(postings, invoice);
        } else if (event instanceof InvoiceVoided voided) {
            invoiceVoided(postings, voided);
        } else if (event instanceof PaymentRecorded payment) {
            add(postings, Posting.debit(CASH, payment.amount(), "payment " + payment.paymentId()));
            add(postings, Posting.credit(receivable(payment.accountId()), payment.amount(), "payment " + payment.paymentId()));
        } else if (event instanceof PaymentRefunded refund) {
            add(postings, Posting.debit(receivable(refund.accountId()), refund.amount(), "refund " + refund.refundId()));
            add(postings, Posting.credit(CASH, refund.amount(), "refund " + refund.refundId()));
        } else if (event instanceof ProjectionEventSkipped) {
            // No money moves: a skip only leaves an earlier event out of the read models.
            return postings;
        }
        return postings;
    }

    /**
     * A usage accrual is usage revenue. The part of a late accrual that its period's minimum true-up
     * already paid moves from fee revenue (where the true-up was earned) to the meter's usage revenue.
     */
    private static void usagePostings(List<Posting> postings, UsageRecorded usage) {
        revenueFunded(postings, usage.accountId(), usageRevenue(usage.meter()), usage.accrual(),
                usage.coveredByMinimum(), usage.funding(),
                "usage " + usage.meter() + " (" + usage.idempotencyKey() + ")");
    }

    /**
     * Revenue of {@code amount}: {@code fromFees} of it was earned already as fee revenue, the rest is
     * funded by credit and receivable. A positive amount: Dr revenue:fees (fromFees), Dr credits
     * (drawn), Dr receivable (uncovered) / Cr revenue. A negative amount reverses it: Dr revenue /
     * Cr revenue:fees, Cr credits (restored), Cr receivable (uncovered reduced). {@code fromFees} has
     * the sign of {@code amount} and is no larger.
     */
    private static void revenueFunded(List<Posting> postings, String accountId, String revenueAccount, Money amount,
                                      Money fromFees, Funding funding, String description) {
        Money creditUsed = funding.netCreditUsed();
        Money receivableChange = funding.uncoveredChange();
        String covered = description + " covered by the minimum commitment";
        if (amount.signum() >= 0) {
            add(postings, Posting.debit(REVENUE_FEES, fromFees, covered));
            add(postings, Posting.debit(credits(accountId), creditUsed, description));
            add(postings, Posting.debit(receivable(accountId), receivableChange, description));
            add(postings, Posting.credit(revenueAccount, amount, description));
        } else {
            add(postings, Posting.debit(revenueAccount, amount.negate(), description));
            add(postings, Posting.credit(REVENUE_FEES, fromFees.negate(), covered));
            add(postings, Posting.credit(credits(accountId), creditUsed.negate(), description));
            add(postings, Posting.credit(receivable(accountId), receivableChange.negate(), description));
        }
    }

    /**
     * At issue: the minimum true-up is fee revenue; grants still usable fund it and the uncovered
     * remainder (Dr credits); the receivable moves by what that leaves, and then to the invoice's
     * rounded total, the difference going to {@code rounding}.
     */
    private static void invoiceIssued(List<Posting> postings, InvoiceIssued invoice) {
        String description = "invoice " + invoice.number();
        Money trueUp = invoice.trueUp();
        Money drawn = invoice.issueFunding().totalDrawn();
        Money receivableChange = trueUp.minus(drawn).plus(invoice.rounding());
        add(postings, Posting.debit(credits(invoice.accountId()), drawn, description));
        add(postings, signed(receivable(invoice.accountId()), receivableChange, description));
        add(postings, Posting.credit(REVENUE_FEES, trueUp, description + " minimum commitment"));
        add(postings, signed(ROUNDING, invoice.rounding().negate(), description + " rounding"));
    }

    /**
     * A void's credit note: revenue is reversed for the unpaid total (Cr receivable) and for any
     * credit given back (Cr credits, or Cr breakage / promotions when the grant forfeits it again).
     */
    private static void invoiceVoided(List<Posting> postings, InvoiceVoided voided) {
        String description = "void of invoice " + voided.number();
        for (RevenueShare share : voided.reversedRevenue()) {
            add(postings, Posting.debit(share.revenueAccount(), share.amount(), description));
        }
        add(postings, Posting.credit(receivable(voided.accountId()), voided.writtenOff(), description));
        for (ReturnedCredit credit : voided.returnedCredits()) {
            String account = !credit.forfeited() ? credits(voided.accountId())
                    : credit.kind() == CreditKind.PREPAID ? BREAKAGE : PROMOTIONS;
            add(postings, Posting.credit(account, credit.amount(), description + ", credit of grant " + credit.grantId()
                    + (credit.forfeited() ? " forfeited again" : " restored")));
        }
    }

    /** A debit for a positive amount, a credit of its opposite for a negative one. */
    private static Posting signed(String ledgerAccount, Money amount, String description) {
        return amount.signum() >= 0 ? Posting.debit(ledgerAccount, amount, description)
                : Posting.credit(ledgerAccount, amount.negate(), description);
    }

    private static void forfeit(List<Posting> postings, String accountId, CreditKind kind, Money amount,
                                String description) {
        String income = kind == CreditKind.PREPAID ? BREAKAGE : PROMOTIONS;
        add(postings, Posting.debit(credits(accountId), amount, description));
        add(postings, Posting.credit(income, amount, description));
    }

    private static void add(List<Posting> postings, Posting posting) {
        if (posting.debit().isZero() && posting.credit().isZero()) {
            return;
        }
        postings.add(posting);
    }

    private static String descriptionSuffix(String description) {
        return description == null || description.isBlank() ? "" : ": " + description;
    }
}
