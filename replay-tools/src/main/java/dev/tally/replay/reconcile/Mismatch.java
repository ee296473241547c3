package dev.tally.replay.reconcile;

/** One disagreement: what it is about, the ledger's figure and the other side's, and why they differ. */
record Mismatch(String side, String subject, String ledger, String other, String problem) {

    @Override
    public String toString() {
        return "%s %s: ledger %s | %s %s (%s)".formatted(side, subject, ledger, side, other, problem);
    }
}
