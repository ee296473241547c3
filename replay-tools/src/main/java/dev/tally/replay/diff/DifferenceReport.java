package dev.tally.replay.diff;

import java.io.PrintWriter;
import java.util.function.Consumer;

/** Prints differences up to a limit and counts them all. */
final class DifferenceReport implements Consumer<Difference> {

    private final PrintWriter out;
    private final int maxReported;
    private long count;

    DifferenceReport(PrintWriter out, int maxReported) {
        this.out = out;
        this.maxReported = maxReported;
    }

    @Override
    public void accept(Difference difference) {
        if (count < maxReported) {
            out.println(difference.line());
        }
        count++;
    }

    long count() {
        return count;
    }

    String summary() {
        if (count == 0) {
            return "no differences";
        }
        return count + (count == 1 ? " difference" : " differences")
                + (count > maxReported ? " (" + (count - maxReported) + " not shown)" : "");
    }
}
