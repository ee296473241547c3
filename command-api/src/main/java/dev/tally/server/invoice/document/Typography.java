package dev.tally.server.invoice.document;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * The two faces of an invoice: DejaVu Sans Condensed, regular and bold, embedded in the document.
 * Customer names and line descriptions are arbitrary Unicode, and the standard 14 fonts encode
 * only WinAnsi; DejaVu also covers Latin Extended, Greek and Cyrillic, among others. Each face is
 * embedded as a subset, only the glyphs the invoice uses, so a document stays small. The
 * condensed cut is close to Helvetica's widths, which the layout was drawn for. The font objects
 * are made per document because PDFBox's font objects are not shared safely; the font files are
 * read from the classpath once.
 */
record Typography(FontFace regular, FontFace bold) {

    /** Where JasperReports' font extension jar (from Maven Central) keeps DejaVu, with DejaVu's licence. */
    private static final String DEJAVU = "/net/sf/jasperreports/fonts/dejavu/";
    private static final byte[] REGULAR = read(DEJAVU + "DejaVuSansCondensed.ttf");
    private static final byte[] BOLD = read(DEJAVU + "DejaVuSansCondensed-Bold.ttf");

    static Typography embeddedIn(PDDocument document) {
        return new Typography(new FontFace(subsetOf(document, REGULAR)), new FontFace(subsetOf(document, BOLD)));
    }

    TextStyle regular(float size, Ink ink) {
        return new TextStyle(regular, size, ink, 0);
    }

    TextStyle bold(float size, Ink ink) {
        return new TextStyle(bold, size, ink, 0);
    }

    /** Small capitals-like labels ("BILLED TO"): bold, muted and spaced out. */
    TextStyle label(float size) {
        return bold(size, Ink.MUTED).tracked(size * 0.08f);
    }

    private static PDType0Font subsetOf(PDDocument document, byte[] font) {
        try {
            return PDType0Font.load(document, new ByteArrayInputStream(font), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the invoice font", e);
        }
    }

    private static byte[] read(String resource) {
        try (InputStream font = Typography.class.getResourceAsStream(resource)) {
            if (font == null) {
                throw new IllegalStateException("the invoice font " + resource + " is not on the classpath");
            }
            return font.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the invoice font " + resource, e);
        }
    }
}
