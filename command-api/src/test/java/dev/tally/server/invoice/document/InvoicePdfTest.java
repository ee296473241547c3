package dev.tally.server.invoice.document;

import static dev.tally.server.invoice.document.SampleInvoices.ACME;
import static dev.tally.server.invoice.document.SampleInvoices.FEBRUARY;
import static dev.tally.server.invoice.document.SampleInvoices.ISSUER;
import static dev.tally.server.invoice.document.SampleInvoices.charge;
import static dev.tally.server.invoice.document.SampleInvoices.lateUsage;
import static dev.tally.server.invoice.document.SampleInvoices.march;
import static dev.tally.server.invoice.document.SampleInvoices.minimum;
import static dev.tally.server.invoice.document.SampleInvoices.usage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.projections.invoice.InvoiceLineView;
import dev.tally.projections.invoice.InvoiceView;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

// Goal: the invoice PDF carries every line and sum as finance reads them, on as many pages as needed, whatever the text.
class InvoicePdfTest {

    /** A one-page invoice with both faces subset-embedded is about 14 KB; the whole fonts are over 1.3 MB. */
    private static final int PDF_BYTES_MAX = 40_000;

    private final InvoicePdf invoicePdf = new InvoicePdf();

    @Test
    void printsEveryLineWithItsFiguresAndTheTotals() throws IOException {
        InvoiceView invoice = march("USD", "issued", List.of(
                usage("gpu_seconds", "2940", "GPU seconds", "5.88"),
                usage("images", "13", "Generated images", "0.13"),
                usage("api_calls", "90000.000", "API calls", "9.00"),
                lateUsage("gpu_seconds", FEBRUARY, "385", "GPU seconds for February, received after invoicing", "0.77"),
                charge("Onboarding workshop", "12.00"),
                minimum("Minimum commitment true-up", "34.99")), "12.77", "0");

        byte[] pdf = invoicePdf.render(invoice, ISSUER, ACME);

        try (PDDocument document = Loader.loadPDF(pdf)) {
            assertThat(document.getNumberOfPages()).isEqualTo(1);
            assertThat(document.getDocumentInformation().getTitle()).isEqualTo("TLY-2026-000042");
            assertThat(document.getDocumentInformation().getAuthor()).isEqualTo("Tally Demo Inc.");
            String text = new PDFTextStripper().getText(document);
            assertThat(text).contains("TLY-2026-000042", "Acme Robotics", "acme-robotics", "Tally Demo Inc.", "ISSUED",
                    "1 Mar 2026 \u2013 31 Mar 2026", "1 Apr 2026");
            assertThat(text).contains("GPU seconds", "Generated images", "API calls",
                    "GPU seconds for February, received after invoicing", "Onboarding workshop",
                    "Minimum commitment true-up");
            assertThat(text).contains("2,940 USD 0.002 USD 5.88", "13 USD 0.01 USD 0.13", "90,000 USD 0.0001 USD 9.00",
                    "385 USD 0.002 USD 0.77");
            assertThat(text).contains("Onboarding workshop USD 12.00", "Minimum commitment true-up USD 34.99");
            // The late line names the earlier period, February, ending on its last day.
            assertThat(text).contains("1 Feb 2026 \u2013", "28 Feb 2026");
            assertThat(text).contains("Subtotal USD 62.77", "Credits applied -USD 12.77", "Total USD 50.00",
                    "Amount paid USD 0.00", "Amount due USD 50.00");
            assertThat(text).doesNotContain("Credit carried forward");
        }
    }

    @Test
    void manyLinesFlowOntoFurtherPagesWithTheHeaderRepeated() throws IOException {
        List<InvoiceLineView> lines = new ArrayList<>();
        for (int meter = 1; meter <= 80; meter++) {
            lines.add(usage("meter_" + meter, "1000", "Meter " + meter + " usage", "1.00"));
        }
        InvoiceView invoice = march("USD", "issued", lines, "0", "0");

        byte[] pdf = invoicePdf.render(invoice, ISSUER, ACME);

        try (PDDocument document = Loader.loadPDF(pdf)) {
            int pages = document.getNumberOfPages();
            assertThat(pages).isGreaterThan(1);
            String lastPage = pageText(document, pages);
            assertThat(lastPage).contains("Meter 80 usage", "Total USD 80.00", "Amount due USD 80.00",
                    "Page " + pages + " of " + pages);
            assertThat(pageText(document, 1)).contains("Meter 1 usage").doesNotContain("Total USD 80.00");
            for (int page = 2; page <= pages; page++) {
                assertThat(pageText(document, page)).contains("TLY-2026-000042 (continued)", "DESCRIPTION", "AMOUNT");
            }
            String all = new PDFTextStripper().getText(document);
            for (int meter = 1; meter <= 80; meter++) {
                assertThat(all).contains("Meter " + meter + " usage");
            }
        }
    }

    @Test
    void yenAmountsHaveNoDecimals() throws IOException {
        InvoiceView invoice = march("JPY", "issued", List.of(
                usage("gpu_seconds", "12345.5", "GPU seconds", "24691"),
                charge("Setup fee", "150000")), "0", "0");

        byte[] pdf = invoicePdf.render(invoice, ISSUER, ACME);

        try (PDDocument document = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(document);
            assertThat(text).contains("12,345.5 JPY 2 JPY 24,691", "Setup fee JPY 150,000", "Subtotal JPY 174,691",
                    "Total JPY 174,691");
            assertThat(text).doesNotContainPattern("JPY [0-9,]+\\.[0-9]");
        }
    }

    /**
     * The embedded DejaVu Sans Condensed covers Latin with its extensions (Polish, Vietnamese), Greek,
     * Cyrillic, Armenian and Georgian; every one of these is printed as written.
     */
    @Test
    void namesInGreekCyrillicArmenianGeorgianAndExtendedLatinArePrintedAsWritten() throws IOException {
        InvoiceCustomer customer = new InvoiceCustomer("lodz-athens", "\u0141\u00f3d\u017a \u0391\u03b8\u03ae\u03bd\u03b1"
                + " \u041c\u043e\u0441\u043a\u0432\u0430", "kasa@lodz.example");
        String description = "\u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac \u041a\u0438\u0440\u0438\u043b\u043b"
                + "\u0438\u0446\u0430 \u0540\u0561\u0575\u0565\u0580\u0565\u0576 \u10e5\u10d0\u10e0\u10d7\u10e3\u10da\u10d8"
                + " Ti\u1ebfng Vi\u1ec7t";
        InvoiceView invoice = march("EUR", "issued", List.of(usage("images", "10", description, "1.00")), "0", "0");

        byte[] pdf = invoicePdf.render(invoice, ISSUER, customer);

        try (PDDocument document = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(document);
            assertThat(text).contains("\u0141\u00f3d\u017a \u0391\u03b8\u03ae\u03bd\u03b1 \u041c\u043e\u0441\u043a\u0432\u0430",
                    description, "EUR 1.00");
        }
    }

    /** CJK ideographs and emoji are not in the font: they are printed as '?', and the rest of the text as written. */
    @Test
    void charactersTheFontHasNoGlyphForArePrintedAsQuestionMarks() throws IOException {
        InvoiceCustomer customer = new InvoiceCustomer("lodz-tokyo", "\u0141\u00f3d\u017a \u6771\u4eac",
                "kasa@lodz.example");
        InvoiceView invoice = march("EUR", "issued", List.of(
                usage("images", "10", "Caf\u00e9 \u2615 images \uD83D\uDE80", "1.00")), "0", "0");

        byte[] pdf = invoicePdf.render(invoice, ISSUER, customer);

        try (PDDocument document = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(document);
            assertThat(text).contains("\u0141\u00f3d\u017a ??", "Caf\u00e9 \u2615 images ?", "EUR 1.00");
        }
    }

    /** Only the glyphs an invoice uses are embedded: the font files are 1.3 MB, an invoice a few tens of KB. */
    @Test
    void embedsItsFontAsASubset() throws IOException {
        InvoiceView invoice = march("USD", "issued", List.of(usage("gpu_seconds", "2940", "GPU seconds", "5.88"),
                charge("Onboarding workshop", "12.00")), "0", "0");

        byte[] pdf = invoicePdf.render(invoice, ISSUER, ACME);

        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDResources resources = document.getPage(0).getResources();
            List<String> fonts = new ArrayList<>();
            for (COSName name : resources.getFontNames()) {
                PDFont font = resources.getFont(name);
                assertThat(font.isEmbedded()).as(font.getName()).isTrue();
                fonts.add(font.getName().replaceFirst("^[A-Z]{6}\\+", "SUBSET+"));
            }
            assertThat(fonts).containsExactlyInAnyOrder("SUBSET+DejaVuSansCondensed", "SUBSET+DejaVuSansCondensed-Bold");
        }
        assertThat(pdf.length).as("bytes").isLessThan(PDF_BYTES_MAX);
    }

    @Test
    void aVoidInvoiceSaysSoAndIsNotPayable() throws IOException {
        InvoiceView invoice = march("USD", "void", List.of(charge("Onboarding workshop", "12.00")), "0", "0");

        byte[] pdf = invoicePdf.render(invoice, ISSUER, ACME);

        try (PDDocument document = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(document);
            assertThat(text).contains("VOID", "Voided 3 Apr 2026", "Amount due USD 0.00",
                    "This invoice was voided on 3 Apr 2026 and is not payable. Reason: Billed to the wrong account");
        }
    }

    private static String pageText(PDDocument document, int page) throws IOException {
        PDFTextStripper stripper = new PDFTextStripper();
        stripper.setStartPage(page);
        stripper.setEndPage(page);
        return stripper.getText(document);
    }
}
