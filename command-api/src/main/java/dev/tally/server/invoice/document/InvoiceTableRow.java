package dev.tally.server.invoice.document;

import dev.tally.projections.invoice.InvoiceLineView;
import dev.tally.projections.invoice.InvoiceView;
import java.math.BigDecimal;

/** One invoice line as the table prints it: every cell already text, blank where it means nothing. */
record InvoiceTableRow(String description, String period, String quantity, String unitPrice, String amount) {

    private static final String USAGE = "usage";
    private static final String LATE_USAGE = "late_usage";
    private static final String MINIMUM_CREDIT = "minimum_credit";

    static InvoiceTableRow of(InvoiceLineView line, InvoiceView invoice, InvoiceAmounts amounts) {
        boolean late = LATE_USAGE.equals(line.kind());
        boolean usage = late || USAGE.equals(line.kind());
        // A minimum credit takes off part of a late line: it belongs to the same earlier period.
        boolean earlierPeriod = late || MINIMUM_CREDIT.equals(line.kind());
        String period = earlierPeriod && line.periodStart() != null && invoice.periodEnd() != null
                ? InvoiceDates.earlierPeriod(line.periodStart(), invoice.periodStart(), invoice.periodEnd())
                : "";
        BigDecimal quantity = line.quantity();
        // Charges and the minimum true-up are sums, not units times a price: no unit price to show.
        String unitPrice = usage && quantity != null && quantity.signum() > 0 && line.amount() != null
                ? amounts.unitPrice(line.amount(), quantity)
                : "";
        return new InvoiceTableRow(description(line), period, amounts.quantity(quantity), unitPrice,
                amounts.money(line.amount()));
    }

    private static String description(InvoiceLineView line) {
        if (line.description() != null && !line.description().isBlank()) {
            return line.description();
        }
        return line.meter() != null ? line.meter() : line.kind();
    }
}
