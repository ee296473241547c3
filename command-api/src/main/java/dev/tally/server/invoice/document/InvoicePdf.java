package dev.tally.server.invoice.document;

import dev.tally.projections.invoice.InvoiceLineView;
import dev.tally.projections.invoice.InvoiceView;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Objects;
import java.util.TimeZone;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;

/**
 * An invoice as the PDF a finance team sends its customer: A4, the issuer and customer, the
 * lines, the totals; as many pages as the lines need. Stateless, so one instance serves every
 * request.
 */
public final class InvoicePdf {

    private static final float NOTE_GAP = 24;
    private static final float NOTE_LEADING = 12;
    private static final int NOTE_LINES_MAX = 8;

    public byte[] render(InvoiceView invoice, InvoiceIssuer issuer, InvoiceCustomer customer) {
        Objects.requireNonNull(invoice, "invoice");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(customer, "customer");
        try (PDDocument document = new PDDocument()) {
            describe(document, invoice, issuer, customer);
            Typography type = Typography.embeddedIn(document);
            InvoiceAmounts amounts = new InvoiceAmounts(invoice.currency());
            StatusMark status = StatusMark.of(invoice.status());
            try (PageFlow flow = new PageFlow(document,
                    new InvoicePageDecoration(invoice.number(), customer.name(), status.isVoid(), type))) {
                new InvoiceHeader(invoice, issuer, customer, amounts, status, type).draw(flow);
                new LineTable(rows(invoice, amounts), type).draw(flow);
                new InvoiceTotals(invoice, amounts, type).draw(flow);
                drawNotes(flow, invoice, issuer, status, type);
            }
            PageFooters.stamp(document, issuer, invoice.number(), type);
            ByteArrayOutputStream pdf = new ByteArrayOutputStream();
            document.save(pdf);
            return pdf.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("could not render invoice " + invoice.number(), e);
        }
    }

    private static List<InvoiceTableRow> rows(InvoiceView invoice, InvoiceAmounts amounts) {
        List<InvoiceLineView> lines = invoice.lines() == null ? List.of() : invoice.lines();
        return lines.stream().map(line -> InvoiceTableRow.of(line, invoice, amounts)).toList();
    }

    private static void describe(PDDocument document, InvoiceView invoice, InvoiceIssuer issuer,
                                 InvoiceCustomer customer) {
        PDDocumentInformation info = document.getDocumentInformation();
        info.setTitle(invoice.number());
        info.setAuthor(issuer.name());
        info.setSubject("Invoice " + invoice.number() + " to " + customer.name());
        info.setCreator("Tally");
        // Dated at issue, not at rendering: a viewer's "created" date should be the invoice's date, not the download's.
        if (invoice.issuedAt() != null) {
            GregorianCalendar issued = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
            issued.setTimeInMillis(invoice.issuedAt().toEpochMilli());
            info.setCreationDate(issued);
        }
    }

    /** Why a void invoice is not payable, and whom to ask: after the totals, where a reader ends up. */
    private static void drawNotes(PageFlow flow, InvoiceView invoice, InvoiceIssuer issuer, StatusMark status,
                                  Typography type) {
        float gap = NOTE_GAP;
        if (status.isVoid()) {
            String reason = invoice.voidReason() == null || invoice.voidReason().isBlank()
                    ? ""
                    : " Reason: " + invoice.voidReason();
            note(flow, gap, "This invoice was voided on " + InvoiceDates.day(invoice.voidedAt())
                    + " and is not payable." + reason, type.bold(9, Ink.VOID));
            gap = NOTE_LEADING / 2;
        }
        if (issuer.email() != null && !issuer.email().isBlank()) {
            note(flow, gap, "Questions about this invoice? Write to " + issuer.email() + ".",
                    type.regular(8.5f, Ink.MUTED));
        }
    }

    private static void note(PageFlow flow, float gap, String text, TextStyle style) {
        float height = gap + style.wrap(text, PageFlow.WIDTH, NOTE_LINES_MAX).size() * NOTE_LEADING;
        if (!flow.fits(height)) {
            flow.newPage();
        }
        flow.moveDown(gap);
        float belowLast = flow.canvas().paragraph(text, PageFlow.LEFT, flow.y() - style.size(), PageFlow.WIDTH,
                NOTE_LINES_MAX, NOTE_LEADING, style);
        flow.moveTo(belowLast + NOTE_LEADING - style.size() * 0.25f);
    }
}
