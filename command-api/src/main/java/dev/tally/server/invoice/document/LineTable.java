package dev.tally.server.invoice.document;

import java.util.List;
import java.util.function.Function;

/**
 * The invoice lines: Description and Period wrap within their columns, the figures are
 * right-aligned and sized to their widest cell, and the column header repeats on every page
 * the table reaches. The price tiers a usage line reached are listed under its description.
 */
final class LineTable {

    private static final float INSET = 8;
    private static final float COLUMN_GAP = 16;
    private static final float HEADER_HEIGHT = 22;
    private static final float ROW_PADDING = 7;
    private static final float LEADING = 11.5f;
    /** The widest a period's first line gets ("30 Sep 2026 –"), so a period wraps at its dash. */
    private static final String WIDEST_PERIOD_LINE = "30 Sep 2026 \u2013";
    private static final float DESCRIPTION_WIDTH_MIN = 120;
    /** However long a manual charge's description, its row stays far shorter than a page. */
    private static final int DESCRIPTION_LINES_MAX = 20;

    private final List<InvoiceTableRow> rows;
    private final TextStyle header;
    private final TextStyle cell;
    private final TextStyle mutedCell;
    private final Columns columns;

    private record Columns(float description, float period, float quantity, float price, float amount) {

        float descriptionX() {
            return PageFlow.LEFT + INSET;
        }

        float periodX() {
            return descriptionX() + description + COLUMN_GAP;
        }

        float quantityRight() {
            return periodX() + period + COLUMN_GAP + quantity;
        }

        float priceRight() {
            return quantityRight() + COLUMN_GAP + price;
        }

        float amountRight() {
            return LineTable.amountRight();
        }
    }

    LineTable(List<InvoiceTableRow> rows, Typography type) {
        this.rows = rows;
        this.header = type.label(7.5f);
        this.cell = type.regular(9, Ink.TEXT);
        this.mutedCell = type.regular(8.5f, Ink.MUTED);
        this.columns = layColumns();
    }

    /** Where the amounts' right edge is, for the totals below to align with. */
    static float amountRight() {
        return PageFlow.RIGHT - INSET;
    }

    void draw(PageFlow flow) {
        if (!flow.fits(HEADER_HEIGHT + rowHeight(rows.isEmpty() ? null : rows.get(0)))) {
            flow.newPage();
        }
        drawHeader(flow);
        for (int index = 0; index < rows.size(); index++) {
            InvoiceTableRow row = rows.get(index);
            float height = rowHeight(row);
            if (!flow.fits(height)) {
                flow.newPage();
                drawHeader(flow);
            }
            drawRow(flow, row, height, index == rows.size() - 1);
        }
    }

    private Columns layColumns() {
        float period = rows.stream().anyMatch(row -> !row.period().isEmpty())
                ? Math.max(header.width("PERIOD"), mutedCell.width(WIDEST_PERIOD_LINE))
                : header.width("PERIOD");
        float quantity = widest("QUANTITY", InvoiceTableRow::quantity);
        float price = widest("PRICE", InvoiceTableRow::price);
        float amount = widest("AMOUNT", InvoiceTableRow::amount);
        float description = PageFlow.WIDTH - 2 * INSET - 4 * COLUMN_GAP - period - quantity - price - amount;
        return new Columns(Math.max(DESCRIPTION_WIDTH_MIN, description), period, quantity, price, amount);
    }

    private float widest(String title, Function<InvoiceTableRow, String> cellText) {
        float widest = header.width(title);
        for (InvoiceTableRow row : rows) {
            widest = Math.max(widest, cell.width(cellText.apply(row)));
        }
        return widest;
    }

    private void drawHeader(PageFlow flow) {
        PageCanvas canvas = flow.canvas();
        float top = flow.y();
        canvas.fill(PageFlow.LEFT, top - HEADER_HEIGHT, PageFlow.WIDTH, HEADER_HEIGHT, Ink.BAND);
        float baseline = top - HEADER_HEIGHT / 2 - header.size() * 0.35f;
        canvas.text("DESCRIPTION", columns.descriptionX(), baseline, header);
        canvas.text("PERIOD", columns.periodX(), baseline, header);
        canvas.textRight("QUANTITY", columns.quantityRight(), baseline, header);
        canvas.textRight("PRICE", columns.priceRight(), baseline, header);
        canvas.textRight("AMOUNT", columns.amountRight(), baseline, header);
        flow.moveDown(HEADER_HEIGHT);
    }

    private float rowHeight(InvoiceTableRow row) {
        if (row == null) {
            return 0;
        }
        int lines = Math.max(descriptionLines(row).size() + tierLines(row).size(), periodLines(row).size());
        return 2 * ROW_PADDING + cell.size() + (lines - 1) * LEADING;
    }

    private void drawRow(PageFlow flow, InvoiceTableRow row, float height, boolean last) {
        PageCanvas canvas = flow.canvas();
        float top = flow.y();
        float baseline = top - ROW_PADDING - cell.size() * 0.78f;
        float next = baseline;
        for (String line : descriptionLines(row)) {
            canvas.text(line, columns.descriptionX(), next, cell);
            next -= LEADING;
        }
        float tiersBaseline = next;
        next = baseline;
        for (String line : periodLines(row)) {
            canvas.text(line, columns.periodX(), next, mutedCell);
            next -= LEADING;
        }
        canvas.textRight(row.quantity(), columns.quantityRight(), baseline, cell);
        canvas.textRight(row.price(), columns.priceRight(), baseline, cell);
        canvas.textRight(row.amount(), columns.amountRight(), baseline, cell);
        // Drawn after the figures, so that text extracted from the page keeps a line's figures with its description.
        for (String line : tierLines(row)) {
            canvas.text(line, columns.descriptionX(), tiersBaseline, mutedCell);
            tiersBaseline -= LEADING;
        }
        float bottom = top - height;
        if (last) {
            canvas.rule(PageFlow.LEFT, PageFlow.RIGHT, bottom, 0.8f, Ink.STRONG_RULE);
        } else {
            canvas.rule(PageFlow.LEFT, PageFlow.RIGHT, bottom, 0.5f, Ink.RULE);
        }
        flow.moveTo(bottom);
    }

    private List<String> descriptionLines(InvoiceTableRow row) {
        return cell.wrap(row.description(), columns.description(), DESCRIPTION_LINES_MAX);
    }

    private List<String> tierLines(InvoiceTableRow row) {
        List<String> lines = new java.util.ArrayList<>();
        for (String tier : row.tiers()) {
            lines.addAll(mutedCell.wrap(tier, columns.description(), DESCRIPTION_LINES_MAX));
        }
        return lines;
    }

    private List<String> periodLines(InvoiceTableRow row) {
        return row.period().isEmpty()
                ? List.of()
                : mutedCell.wrap(row.period(), columns.period(), DESCRIPTION_LINES_MAX);
    }
}
