package dev.tally.ledger.journal;

import dev.tally.ledger.api.journal.Posting;
import dev.tally.ledger.api.money.Money;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The journal entry of a stored batch of usage: its usage events' postings summed per ledger
 * account and side, debits and credits kept apart (a batch that accrues and reverses revenue shows
 * both). Sums of balanced postings balance, so the entry balances exactly as its usage events did,
 * and every ledger account moves by exactly what they would have moved it; the events' own
 * postings stay derivable from the stored event, which keeps each usage event whole.
 */
final class BatchPostings {

    /** The postings one usage event of the batch would have, and its meter. */
    record Source(String meter, List<Posting> postings) {
    }

    private record Line(String ledgerAccount, boolean debit) {
    }

    private static final class Sum {
        Money amount;
        final Set<String> meters = new LinkedHashSet<>();
        int events;
    }

    private BatchPostings() {
    }

    /** The summed lines, in the order each ledger account and side first appears. */
    static List<Posting> summed(List<Source> sources) {
        Map<Line, Sum> sums = new LinkedHashMap<>();
        for (Source source : sources) {
            for (Posting posting : source.postings()) {
                boolean debit = !posting.debit().isZero();
                Money amount = debit ? posting.debit() : posting.credit();
                Sum sum = sums.computeIfAbsent(new Line(posting.ledgerAccount(), debit), line -> new Sum());
                sum.amount = sum.amount == null ? amount : sum.amount.plus(amount);
                sum.meters.add(source.meter());
                sum.events++;
            }
        }
        List<Posting> postings = new ArrayList<>(sums.size());
        sums.forEach((line, sum) -> {
            if (sum.amount.isZero()) {
                return;
            }
            String description = describe(sum);
            postings.add(line.debit() ? Posting.debit(line.ledgerAccount(), sum.amount, description)
                    : Posting.credit(line.ledgerAccount(), sum.amount, description));
        });
        return postings;
    }

    private static String describe(Sum sum) {
        String what = sum.meters.size() == 1 ? "usage " + sum.meters.iterator().next() : "usage";
        return what + " (" + sum.events + (sum.events == 1 ? " event)" : " events)");
    }
}
