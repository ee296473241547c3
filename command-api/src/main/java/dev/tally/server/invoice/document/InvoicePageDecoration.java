package dev.tally.server.invoice.document;

/**
 * What every page carries under its content: the accent band, a VOID watermark on a void
 * invoice, and on continuation pages a running head naming the invoice, so that a loose page
 * still says what it belongs to.
 */
final class InvoicePageDecoration implements PageFlow.PageDecoration {

    private static final float ACCENT_HEIGHT = 6;
    private static final double WATERMARK_ANGLE = Math.toRadians(35);
    private static final float RUNNING_HEAD_HEIGHT = 34;

    private final String number;
    private final String customerName;
    private final boolean isVoid;
    private final Typography type;

    InvoicePageDecoration(String number, String customerName, boolean isVoid, Typography type) {
        this.number = number;
        this.customerName = customerName;
        this.isVoid = isVoid;
        this.type = type;
    }

    @Override
    public float decorate(PageCanvas canvas, int pageIndex) {
        float pageHeight = PageFlow.SIZE.getHeight();
        canvas.fill(0, pageHeight - ACCENT_HEIGHT, PageFlow.SIZE.getWidth(), ACCENT_HEIGHT, Ink.ACCENT);
        if (isVoid) {
            // Drawn first, so that everything printed afterwards lies on top of it and stays legible.
            canvas.rotatedTextCentred("VOID", PageFlow.SIZE.getWidth() / 2, pageHeight / 2, WATERMARK_ANGLE,
                    type.bold(150, Ink.VOID_WATERMARK).tracked(8));
        }
        if (pageIndex == 0) {
            return PageFlow.TOP;
        }
        float baseline = PageFlow.TOP - 10;
        canvas.text("Invoice " + number + " (continued)", PageFlow.LEFT, baseline, type.bold(10, Ink.TEXT));
        canvas.textRight(customerName, PageFlow.RIGHT, baseline, type.regular(9, Ink.MUTED));
        canvas.rule(PageFlow.LEFT, PageFlow.RIGHT, PageFlow.TOP - RUNNING_HEAD_HEIGHT / 2, 0.5f, Ink.RULE);
        return PageFlow.TOP - RUNNING_HEAD_HEIGHT;
    }
}
