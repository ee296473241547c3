package dev.tally.replay.verify;

import dev.tally.ledger.audit.CheckpointDigest;
import dev.tally.ledger.audit.StreamHead;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * Recomputes each expected digest when the walk has passed its position, from the stream heads as
 * the events give them. A stream removed whole, or cut at its end, breaks no link but changes this.
 */
final class CheckpointCheck {

    static final String NAME = "checkpoint";

    private final Deque<ExpectedDigest> pending;
    private int verified;

    CheckpointCheck(List<ExpectedDigest> expected) {
        this.pending = new ArrayDeque<>(expected.stream().sorted(Comparator.comparingLong(ExpectedDigest::position)).toList());
    }

    /** Checks every digest whose position lies before {@code nextPosition}: all its events have been seen. */
    void before(long nextPosition, ChainCheck chain, Findings findings) {
        while (!pending.isEmpty() && pending.peekFirst().position() < nextPosition) {
            check(pending.removeFirst(), chain, findings);
        }
    }

    void finish(ChainCheck chain, Findings findings) {
        before(Long.MAX_VALUE, chain, findings);
    }

    int verified() {
        return verified;
    }

    private void check(ExpectedDigest expected, ChainCheck chain, Findings findings) {
        CheckpointDigest digest = new CheckpointDigest(expected.position());
        for (StreamHead head : chain.heads()) {
            digest.add(head);
        }
        long streams = digest.streams();
        String actual = digest.finish();
        verified++;
        if (!actual.equals(expected.digest()) || streams != expected.streams()) {
            findings.add(new Finding(NAME, expected.position(), expected.aggregate(), expected.sequence(),
                    expected.source() + " records digest " + expected.digest() + " over " + expected.streams()
                            + " streams at position " + expected.position() + "; the events give " + actual + " over "
                            + streams + " streams" + (streams < expected.streams() ? " (a stream is missing)" : "")));
        }
    }
}
