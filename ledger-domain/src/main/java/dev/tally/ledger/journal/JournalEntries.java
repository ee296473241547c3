package dev.tally.ledger.journal;

import static dev.tally.ledger.api.journal.LedgerAccounts.BREAKAGE;
import static dev.tally.ledger.api.journal.LedgerAccounts.CASH;
import static dev.tally.ledger.api.journal.LedgerAccounts.PROMOTIONS;
import static dev.tally.ledger.api.journal.LedgerAccounts.REVENUE_FEES;
import static dev.tally.ledger.api.journal.LedgerAccounts.credits;
import static dev.tally.ledger.api.journal.LedgerAccounts.receivable;
import static dev.tally.ledger.api.journal.LedgerAccounts.usageRevenue;

import dev.tally.ledger.api.charge.ChargeRecorded;
import dev.tally.ledger.api.credit.CreditExpired;
import dev.tally.ledger.api.credit.CreditGranted;
import dev.tally.ledger.api.credit.CreditKind;
import dev.tally.ledger.api.credit.CreditVoided;
import dev.tally.ledger.api.credit.Funding;
import dev.tally.ledger.api.journal.Posting;
import dev.tally.ledger.api.money.Money;
import dev.tally.ledger.api.payment.PaymentRecorded;
import dev.tally.ledger.api.payment.PaymentRefunded;
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
            revenueFunded(postings, usage.accountId(), usageRevenue(usage.meter()), usage.accrual(), usage.funding(),
                    "usage " + usage.meter() + " (" + usage.idempotencyKey() + ")");
        } else if (event instanceof ChargeRecorded charge) {
            String description = charge.amount().isNegative() ? "adjustment " : "charge ";
            revenueFunded(postings, charge.accountId(), REVENUE_FEES, charge.amount(), charge.funding(),
                    description + charge.chargeId() + descriptionSuffix(charge.description()));
        } else if (event instanceof CreditGranted grant) {
            String source = grant.kind() == CreditKind.PREPAID ? CASH : PROMOTIONS;
            add(postings, Posting.debit(source, grant.amount(), grant.kind().wireName() + " grant " + grant.grantId()));
            add(postings, Posting.credit(credits(grant.accountId()), grant.amount(),
                    grant.kind().wireName() + " grant " + grant.grantId()));
        } else if (event instanceof CreditExpired expired) {
            forfeit(postings, expired.accountId(), expired.kind(), expired.forfeited(), "expiry of grant " + expired.grantId());
        } else if (event instanceof CreditVoided voided) {
            forfeit(postings, voided.accountId(), voided.kind(), voided.forfeited(), "void of grant " + voided.grantId());
        } else if (event instanceof PaymentRecorded payment) {
            add(postings, Posting.debit(CASH, payment.amount(), "payment " + payment.paymentId()));
            add(postings, Posting.credit(receivable(payment.accountId()), payment.amount(), "payment " + payment.paymentId()));
        } else if (event instanceof PaymentRefunded refund) {
            add(postings, Posting.debit(receivable(refund.accountId()), refund.amount(), "refund " + refund.refundId()));
            add(postings, Posting.credit(CASH, refund.amount(), "refund " + refund.refundId()));
        }
        return postings;
    }

    /**
     * Revenue of {@code amount} funded by credit and receivable. A positive amount: Dr credits
     * (drawn), Dr receivable (uncovered) / Cr revenue. A negative amount reverses it: Dr revenue /
     * Cr credits (restored), Cr receivable (uncovered reduced).
     */
    private static void revenueFunded(List<Posting> postings, String accountId, String revenueAccount, Money amount,
                                      Funding funding, String description) {
        Money creditUsed = funding.netCreditUsed();
        Money receivableChange = funding.uncoveredChange();
        if (amount.signum() >= 0) {
            add(postings, Posting.debit(credits(accountId), creditUsed, description));
            add(postings, Posting.debit(receivable(accountId), receivableChange, description));
            add(postings, Posting.credit(revenueAccount, amount, description));
        } else {
            add(postings, Posting.debit(revenueAccount, amount.negate(), description));
            add(postings, Posting.credit(credits(accountId), creditUsed.negate(), description));
            add(postings, Posting.credit(receivable(accountId), receivableChange.negate(), description));
        }
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
