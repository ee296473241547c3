package dev.tally.server.invoice.document;

import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * The two faces of an invoice. Standard 14 fonts need no embedding, so documents stay small;
 * the font objects are made per document because PDFBox's font objects are not shared safely.
 */
record Typography(FontFace regular, FontFace bold) {

    static Typography helvetica() {
        return new Typography(new FontFace(new PDType1Font(Standard14Fonts.FontName.HELVETICA)),
                new FontFace(new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD)));
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
}
