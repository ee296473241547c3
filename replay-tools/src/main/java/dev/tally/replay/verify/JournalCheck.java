package dev.tally.replay.verify;

import dev.tally.ledger.api.account.AccountOpened;
import dev.tally.ledger.api.journal.LedgerAccounts;
import dev.tally.ledger.api.journal.Posting;
import dev.tally.ledger.balance.BalanceFold;
import dev.tally.ledger.journal.JournalEntries;
import dev.tally.replay.events.StoredEvent;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The journal invariants of spec section 7, after every event: its postings balance, and for its
 * account {@code credits} equals the grants' remainders and {@code receivable} equals unbilled
 * accruals plus invoiced-unpaid minus unapplied cash. At the end the whole journal sums to zero.
 */
final class JournalCheck {

    static final String NAME = "journal";

    private static final class AccountBooks {
        final BalanceFold fold = new BalanceFold();
        BigDecimal receivable = BigDecimal.ZERO;
        BigDecimal credits = BigDecimal.ZERO;
    }

    private final Map<String, AccountBooks> accounts = new HashMap<>();
    private BigDecimal debits = BigDecimal.ZERO;
    private BigDecimal credits = BigDecimal.ZERO;
    private long lastPosition;

    void check(StoredEvent event, Object payload, Findings findings) {
        lastPosition = event.position();
        List<Posting> postings = JournalEntries.postingsFor(payload);
        AccountBooks books = payload instanceof AccountOpened
                ? accounts.computeIfAbsent(event.aggregate(), account -> new AccountBooks())
                : accounts.get(event.aggregate());
        if (books == null) {
            if (!postings.isEmpty()) {
                findings.add(finding(event, "it posts to the journal but its stream has no AccountOpened"));
            }
            return;
        }
        BigDecimal eventDebits = BigDecimal.ZERO;
        BigDecimal eventCredits = BigDecimal.ZERO;
        String receivable = LedgerAccounts.receivable(event.aggregate());
        String creditsAccount = LedgerAccounts.credits(event.aggregate());
        for (Posting posting : postings) {
            BigDecimal debit = posting.debit().amount();
            BigDecimal credit = posting.credit().amount();
            eventDebits = eventDebits.add(debit);
            eventCredits = eventCredits.add(credit);
            if (posting.ledgerAccount().equals(receivable)) {
                books.receivable = books.receivable.add(debit).subtract(credit);
            } else if (posting.ledgerAccount().equals(creditsAccount)) {
                books.credits = books.credits.add(credit).subtract(debit);
            }
        }
        debits = debits.add(eventDebits);
        credits = credits.add(eventCredits);
        if (eventDebits.compareTo(eventCredits) != 0) {
            findings.add(finding(event, "its postings do not balance: debits " + eventDebits.toPlainString()
                    + ", credits " + eventCredits.toPlainString()));
        }
        books.fold.apply(payload);
        BigDecimal remainders = books.fold.grantRemainders();
        if (books.credits.compareTo(remainders) != 0) {
            findings.add(finding(event, "credits:" + event.aggregate() + " stands at " + books.credits.toPlainString()
                    + " but the grants' remainders sum to " + remainders.toPlainString()));
        }
        BigDecimal owed = books.fold.amountDue();
        if (books.receivable.compareTo(owed) != 0) {
            findings.add(finding(event, "receivable:" + event.aggregate() + " stands at "
                    + books.receivable.toPlainString() + " but unbilled + invoiced unpaid - unapplied cash is "
                    + owed.toPlainString()));
        }
    }

    void finish(Findings findings) {
        if (debits.compareTo(credits) != 0) {
            findings.add(new Finding(NAME, lastPosition, "(whole journal)", -1, "the journal does not sum to zero: debits "
                    + debits.toPlainString() + ", credits " + credits.toPlainString()));
        }
    }

    int accounts() {
        return accounts.size();
    }

    private static Finding finding(StoredEvent event, String problem) {
        return new Finding(NAME, event.position(), event.aggregate(), event.sequence(), problem);
    }
}
