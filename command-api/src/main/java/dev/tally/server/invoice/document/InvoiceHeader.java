package dev.tally.server.invoice.document;

import dev.tally.projections.invoice.InvoiceView;

/**
 * The head of the first page: the issuer beside the title, number and status, then the
 * customer beside the invoice's dates and the amount due.
 */
final class InvoiceHeader {

    private static final float LEFT_COLUMN_WIDTH = PageFlow.WIDTH * 0.55f;
    private static final float ISSUER_NAME_LEADING = 19;
    private static final float CUSTOMER_NAME_LEADING = 14;
    private static final float BLOCK_LEADING = 13;
    /** Names and addresses wrap, but never so far that the head pushes the lines off the first page. */
    private static final int NAME_LINES_MAX = 3;
    private static final int BLOCK_LINES_MAX = 2;
    private static final float LABEL_DROP = 6;
    private static final float FIRST_LINE_DROP = 23;
    /** How far below a 9-point baseline the descenders reach. */
    private static final float DESCENDER = 3;
    private static final float DETAILS_LEADING = 16;
    private static final float BADGE_HEIGHT = 16;
    private static final float BADGE_PADDING = 7;
    private static final float SECTION_GAP = 22;

    private final InvoiceView invoice;
    private final InvoiceIssuer issuer;
    private final InvoiceCustomer customer;
    private final InvoiceAmounts amounts;
    private final StatusMark status;
    private final Typography type;

    InvoiceHeader(InvoiceView invoice, InvoiceIssuer issuer, InvoiceCustomer customer, InvoiceAmounts amounts,
                  StatusMark status, Typography type) {
        this.invoice = invoice;
        this.issuer = issuer;
        this.customer = customer;
        this.amounts = amounts;
        this.status = status;
        this.type = type;
    }

    void draw(PageFlow flow) {
        float top = flow.y();
        float below = Math.min(drawIssuer(flow.canvas(), top), drawTitle(flow.canvas(), top));
        flow.moveTo(below - SECTION_GAP / 2);
        flow.canvas().rule(PageFlow.LEFT, PageFlow.RIGHT, flow.y(), 0.5f, Ink.RULE);
        flow.moveDown(SECTION_GAP);
        top = flow.y();
        below = Math.min(drawCustomer(flow.canvas(), top), drawDetails(flow.canvas(), top));
        flow.moveTo(below - SECTION_GAP);
    }

    // Each block answers the lowest point it drew to, so that the next section starts below both columns.
    private float drawIssuer(PageCanvas canvas, float top) {
        TextStyle name = type.bold(15, Ink.TEXT);
        float baseline = canvas.paragraph(issuer.name(), PageFlow.LEFT, top - name.size() * 0.8f, LEFT_COLUMN_WIDTH,
                NAME_LINES_MAX, ISSUER_NAME_LEADING, name);
        TextStyle line = type.regular(9, Ink.MUTED);
        for (String addressLine : issuer.addressLines()) {
            baseline = block(canvas, addressLine, baseline, LEFT_COLUMN_WIDTH, line);
        }
        if (present(issuer.email())) {
            baseline = block(canvas, issuer.email(), baseline, LEFT_COLUMN_WIDTH, line);
        }
        return belowLastLine(baseline, BLOCK_LEADING);
    }

    private float drawTitle(PageCanvas canvas, float top) {
        float baseline = top - 19;
        canvas.textRight("Invoice", PageFlow.RIGHT, baseline, type.bold(26, Ink.TEXT));
        baseline -= 18;
        canvas.textRight(invoice.number(), PageFlow.RIGHT, baseline, type.regular(11, Ink.MUTED));
        float badgeTop = baseline - 10;
        if (!status.label().isEmpty()) {
            TextStyle badge = type.bold(7.5f, Ink.WHITE).tracked(0.8f);
            float width = badge.width(status.label()) + 2 * BADGE_PADDING;
            canvas.fill(PageFlow.RIGHT - width, badgeTop - BADGE_HEIGHT, width, BADGE_HEIGHT, status.ink());
            float badgeBaseline = badgeTop - BADGE_HEIGHT / 2 - badge.size() * 0.35f;
            canvas.textRight(status.label(), PageFlow.RIGHT - BADGE_PADDING, badgeBaseline, badge);
        }
        return badgeTop - BADGE_HEIGHT;
    }

    private float drawCustomer(PageCanvas canvas, float top) {
        float width = PageFlow.SUMMARY_LEFT - PageFlow.LEFT - SECTION_GAP;
        canvas.text("BILLED TO", PageFlow.LEFT, top - LABEL_DROP, type.label(7.5f));
        float baseline = canvas.paragraph(customer.name(), PageFlow.LEFT, top - FIRST_LINE_DROP, width,
                NAME_LINES_MAX, CUSTOMER_NAME_LEADING, type.bold(11, Ink.TEXT));
        baseline = block(canvas, "Account " + customer.accountId(), baseline, width, type.regular(9, Ink.TEXT));
        if (present(customer.email())) {
            baseline = block(canvas, customer.email(), baseline, width, type.regular(9, Ink.MUTED));
        }
        return belowLastLine(baseline, BLOCK_LEADING);
    }

    private float drawDetails(PageCanvas canvas, float top) {
        canvas.text("DETAILS", PageFlow.SUMMARY_LEFT, top - LABEL_DROP, type.label(7.5f));
        TextStyle label = type.regular(9, Ink.MUTED);
        TextStyle value = type.regular(9, Ink.TEXT);
        float baseline = top - FIRST_LINE_DROP;
        baseline = detail(canvas, baseline, "Issue date", InvoiceDates.day(invoice.issuedAt()), label, value);
        if (!status.isVoid() && invoice.dueAt() != null) {
            baseline = detail(canvas, baseline, "Due date", InvoiceDates.day(invoice.dueAt()), label, value);
        }
        baseline = detail(canvas, baseline, "Billing period",
                InvoiceDates.period(invoice.periodStart(), invoice.periodEnd()), label, value);
        if (status.isVoid()) {
            baseline = detail(canvas, baseline, "Voided", InvoiceDates.day(invoice.voidedAt()), label.in(Ink.VOID),
                    value.in(Ink.VOID));
        }
        baseline = detail(canvas, baseline, "Amount due", amounts.money(invoice.amountDue()),
                type.bold(9, Ink.TEXT), type.bold(9, Ink.TEXT));
        return belowLastLine(baseline, DETAILS_LEADING);
    }

    private static float block(PageCanvas canvas, String raw, float baseline, float width, TextStyle style) {
        return canvas.paragraph(raw, PageFlow.LEFT, baseline, width, BLOCK_LINES_MAX, BLOCK_LEADING, style);
    }

    /** From the baseline a block would have printed next to just under its last line's descenders. */
    private static float belowLastLine(float nextBaseline, float leading) {
        return nextBaseline + leading - DESCENDER;
    }

    private static float detail(PageCanvas canvas, float baseline, String label, String value, TextStyle labelStyle,
                                TextStyle valueStyle) {
        canvas.text(label, PageFlow.SUMMARY_LEFT, baseline, labelStyle);
        canvas.textRight(value, PageFlow.RIGHT, baseline, valueStyle);
        return baseline - DETAILS_LEADING;
    }

    private static boolean present(String text) {
        return text != null && !text.isBlank();
    }
}
