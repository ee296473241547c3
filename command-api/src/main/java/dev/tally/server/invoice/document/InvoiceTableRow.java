package dev.tally.server.invoice.document;

import dev.tally.projections.invoice.InvoiceLineView;
import dev.tally.projections.invoice.InvoiceView;
import java.util.List;

/**
 * One invoice line as the table prints it: every cell already text, blank where it means nothing.
 * {@code tiers} are the price tiers the line's usage reached, printed under its description.
 */
record InvoiceTableRow(String description, List<String> tiers, String period, String quantity, String price,
                       String amount) {

    private static final String LATE_USAGE = "late_usage";
    private static final String MINIMUM_CREDIT = "minimum_credit";

    InvoiceTableRow {
        tiers = List.copyOf(tiers);
    }

    static InvoiceTableRow of(InvoiceLineView line, InvoiceView invoice, InvoiceAmounts amounts) {
        // A minimum credit takes off part of a late line: it belongs to the same earlier period.
        boolean earlierPeriod = LATE_USAGE.equals(line.kind()) || MINIMUM_CREDIT.equals(line.kind());
        String period = earlierPeriod && line.periodStart() != null && invoice.periodEnd() != null
                ? InvoiceDates.earlierPeriod(line.periodStart(), invoice.periodStart(), invoice.periodEnd())
                : "";
        // Charges, true-ups and minimum credits are sums, not units at a price: only usage lines state one.
        LinePrice price = LinePrice.of(line, amounts);
        return new InvoiceTableRow(description(line), price.tiers(), period, amounts.quantity(line.quantity()),
                price.cell(), amounts.money(line.amount()));
    }

    private static String description(InvoiceLineView line) {
        if (line.description() != null && !line.description().isBlank()) {
            return line.description();
        }
        return line.meter() != null ? line.meter() : line.kind();
    }
}
