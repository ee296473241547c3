package dev.tally.replay.verify;

import java.util.ArrayList;
import java.util.List;

/** The findings of one run, in the order the ledger reached them; only the first few are kept in full. */
final class Findings {

    static final int KEPT = 100;

    private final List<Finding> kept = new ArrayList<>();
    private long count;

    void add(Finding finding) {
        count++;
        if (kept.size() < KEPT) {
            kept.add(finding);
        }
    }

    /** Both runs' findings, the kept ones in ledger (global position) order. */
    static Findings merged(Findings first, Findings second) {
        Findings merged = new Findings();
        merged.count = first.count + second.count;
        List<Finding> all = new ArrayList<>(first.kept);
        all.addAll(second.kept);
        all.sort(java.util.Comparator.comparingLong(Finding::position));
        merged.kept.addAll(all.subList(0, Math.min(KEPT, all.size())));
        return merged;
    }

    long count() {
        return count;
    }

    List<Finding> kept() {
        return List.copyOf(kept);
    }
}
