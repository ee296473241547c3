package dev.tally.server.invoice.document;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;

/**
 * The footer of every page: who issued the invoice and "Page 2 of 3". Written once all content
 * has flowed, because only then is the page count known.
 */
final class PageFooters {

    private static final float RULE_Y = 52;
    private static final float BASELINE = 38;
    private static final String SEPARATOR = "  \u00b7  ";

    private PageFooters() {
    }

    static void stamp(PDDocument document, InvoiceIssuer issuer, String number, Typography type) {
        TextStyle footer = type.regular(7.5f, Ink.MUTED);
        String from = issuer.email() == null || issuer.email().isBlank()
                ? issuer.name()
                : issuer.name() + SEPARATOR + issuer.email();
        int pages = document.getNumberOfPages();
        for (int index = 0; index < pages; index++) {
            PDPage page = document.getPage(index);
            try (PageCanvas canvas = new PageCanvas(
                    new PDPageContentStream(document, page, PDPageContentStream.AppendMode.APPEND, true, true))) {
                canvas.rule(PageFlow.LEFT, PageFlow.RIGHT, RULE_Y, 0.5f, Ink.RULE);
                canvas.text(from, PageFlow.LEFT, BASELINE, footer);
                canvas.textRight(number + SEPARATOR + "Page " + (index + 1) + " of " + pages, PageFlow.RIGHT, BASELINE,
                        footer);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
