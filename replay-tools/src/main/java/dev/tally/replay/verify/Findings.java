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

    long count() {
        return count;
    }

    List<Finding> kept() {
        return List.copyOf(kept);
    }
}
