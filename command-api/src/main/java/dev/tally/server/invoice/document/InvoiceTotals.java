package dev.tally.server.invoice.document;

import dev.tally.projections.invoice.InvoiceView;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The sums under the table, right-aligned with the Amount column: subtotal, credits, total,
 * payments and what is still due. Kept on one page, so a page break never splits them.
 */
final class InvoiceTotals {

    private static final float ROW_HEIGHT = 18;
    private static final float ROW_BASELINE_DROP = 12.5f;
    private static final float DUE_HEIGHT = 28;
    private static final float TOP_GAP = 14;
    private static final float DUE_GAP = 4;

    private record Row(String label, String value, boolean ruledAbove) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final String amountDue;
    private final Typography type;

    InvoiceTotals(InvoiceView invoice, InvoiceAmounts amounts, Typography type) {
        this.type = type;
        rows.add(new Row("Subtotal", amounts.money(invoice.subtotal()), false));
        rows.add(new Row("Credits applied", amounts.money(negated(invoice.creditsApplied())), false));
        BigDecimal carried = invoice.creditCarriedForward();
        if (carried != null && carried.signum() != 0) {
            rows.add(new Row("Credit carried forward", amounts.money(carried), false));
        }
        rows.add(new Row("Total", amounts.money(invoice.total()), true));
        rows.add(new Row("Amount paid", amounts.money(invoice.amountPaid()), false));
        this.amountDue = amounts.money(invoice.amountDue());
    }

    void draw(PageFlow flow) {
        float height = TOP_GAP + rows.size() * ROW_HEIGHT + DUE_GAP + DUE_HEIGHT;
        if (!flow.fits(height)) {
            flow.newPage();
        }
        flow.moveDown(TOP_GAP);
        PageCanvas canvas = flow.canvas();
        float labelX = PageFlow.SUMMARY_LEFT;
        float valueRight = LineTable.amountRight();
        // The band and the rule reach as far left of the labels as the amounts sit in from the edge.
        float bandLeft = labelX - (PageFlow.RIGHT - valueRight);
        for (Row row : rows) {
            float baseline = flow.y() - ROW_BASELINE_DROP;
            boolean total = row.ruledAbove();
            if (total) {
                canvas.rule(bandLeft, PageFlow.RIGHT, flow.y() - 1, 0.5f, Ink.STRONG_RULE);
            }
            TextStyle label = total ? type.bold(9.5f, Ink.TEXT) : type.regular(9, Ink.MUTED);
            TextStyle value = total ? type.bold(9.5f, Ink.TEXT) : type.regular(9, Ink.TEXT);
            canvas.text(row.label(), labelX, baseline, label);
            canvas.textRight(row.value(), valueRight, baseline, value);
            flow.moveDown(ROW_HEIGHT);
        }
        flow.moveDown(DUE_GAP);
        canvas.fill(bandLeft, flow.y() - DUE_HEIGHT, PageFlow.RIGHT - bandLeft, DUE_HEIGHT, Ink.BAND);
        TextStyle due = type.bold(11, Ink.TEXT);
        float baseline = flow.y() - DUE_HEIGHT / 2 - due.size() * 0.35f;
        canvas.text("Amount due", labelX, baseline, due);
        canvas.textRight(amountDue, valueRight, baseline, due);
        flow.moveDown(DUE_HEIGHT);
    }

    private static BigDecimal negated(BigDecimal amount) {
        return amount == null ? BigDecimal.ZERO : amount.negate();
    }
}
