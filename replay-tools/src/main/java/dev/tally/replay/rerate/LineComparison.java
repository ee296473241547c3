package dev.tally.replay.rerate;

import dev.tally.ledger.api.invoice.InvoiceLine;
import dev.tally.ledger.api.money.Money;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One invoice line beside its rerated counterpart. Either side may be missing: a minimum true-up
 * that only one plan needs, or usage the chosen plan could not price.
 */
record LineComparison(InvoiceLine real, InvoiceLine rerated) {

    LineComparison {
        if (real == null && rerated == null) {
            throw new IllegalArgumentException("a comparison needs at least one line");
        }
    }

    /** Pairs lines by what they bill (kind, meter, period, charge), in the real invoice's order. */
    static List<LineComparison> pair(List<InvoiceLine> realLines, List<InvoiceLine> reratedLines) {
        Map<List<Object>, InvoiceLine[]> pairs = new LinkedHashMap<>();
        realLines.forEach(line -> pairs.computeIfAbsent(keyOf(line), key -> new InvoiceLine[2])[0] = line);
        reratedLines.forEach(line -> pairs.computeIfAbsent(keyOf(line), key -> new InvoiceLine[2])[1] = line);
        List<LineComparison> comparisons = new ArrayList<>();
        pairs.values().forEach(pair -> comparisons.add(new LineComparison(pair[0], pair[1])));
        return comparisons;
    }

    private static List<Object> keyOf(InvoiceLine line) {
        return java.util.Arrays.asList(line.kind(), line.meter(), line.periodStart(), line.chargeId());
    }

    InvoiceLine either() {
        return real != null ? real : rerated;
    }

    Money realAmount() {
        return real == null ? Money.zero(either().amount().currency()) : real.amount();
    }

    Money reratedAmount() {
        return rerated == null ? Money.zero(either().amount().currency()) : rerated.amount();
    }

    Money difference() {
        return reratedAmount().minus(realAmount());
    }

    /** Both sides present and equal in every field, exact amounts and their scale included. */
    boolean isUnchanged() {
        return real != null && real.equals(rerated);
    }
}
