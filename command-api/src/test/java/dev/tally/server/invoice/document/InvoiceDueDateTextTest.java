package dev.tally.server.invoice.document;

import static dev.tally.server.invoice.document.SampleInvoices.ACME;
import static dev.tally.server.invoice.document.SampleInvoices.ISSUER;
import static dev.tally.server.invoice.document.SampleInvoices.march;
import static dev.tally.server.invoice.document.SampleInvoices.usage;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

// Goal: the invoice document tells the customer when it falls due, and a void one does not.
class InvoiceDueDateTextTest {

    private final InvoicePdf invoicePdf = new InvoicePdf();

    @Test
    void printsTheDueDateBesideTheIssueDate() throws IOException {
        assertThat(textOfMarch("issued")).contains("Issue date 1 Apr 2026", "Due date 1 May 2026");
    }

    @Test
    void printsNoDueDateOnAVoidInvoice() throws IOException {
        assertThat(textOfMarch("void")).contains("Issue date 1 Apr 2026").doesNotContain("Due date");
    }

    /** The text of March's sample invoice, issued 1 April 2026 on the default terms, in {@code status}. */
    private String textOfMarch(String status) throws IOException {
        byte[] pdf = invoicePdf.render(march("USD", status, List.of(usage("gpu_seconds", "2940", "GPU seconds", "5.88")),
                "0", "0"), ISSUER, ACME);
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(document);
        }
    }
}
