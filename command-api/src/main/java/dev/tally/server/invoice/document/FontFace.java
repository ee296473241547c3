package dev.tally.server.invoice.document;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.Map;
import org.apache.pdfbox.pdmodel.font.PDFont;

/**
 * A font together with the knowledge of which characters it can print. Customer names are
 * arbitrary Unicode, no font has a glyph for all of it (the invoice's has no CJK and no emoji),
 * and PDFBox throws on a character without one; so every string is made printable first: what
 * the font cannot encode becomes '?'.
 */
final class FontFace {

    private static final char UNPRINTABLE = '?';

    private final PDFont font;
    /** Per code point: asked once, since the answer never changes for a font. */
    private final Map<Integer, Boolean> encodable = new HashMap<>();

    FontFace(PDFont font) {
        this.font = font;
    }

    PDFont font() {
        return font;
    }

    String printable(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        // Composed form first: "e" followed by a combining acute is printable as "é", while the pair is not.
        String composed = Normalizer.normalize(raw, Normalizer.Form.NFC);
        StringBuilder printable = new StringBuilder(composed.length());
        composed.codePoints().forEach(codePoint -> {
            if (Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint)) {
                printable.append(' ');
            } else if (Character.isISOControl(codePoint) || !canEncode(codePoint)) {
                printable.append(UNPRINTABLE);
            } else {
                printable.appendCodePoint(codePoint);
            }
        });
        return printable.toString();
    }

    /** The width in points of an already printable string. */
    float width(String printable, float size) {
        try {
            return font.getStringWidth(printable) / 1000f * size;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // The font's own encoder is asked, rather than a copy of the WinAnsi table, because it is the
    // one showText will use: the answers cannot drift apart.
    private boolean canEncode(int codePoint) {
        return encodable.computeIfAbsent(codePoint, this::tryEncode);
    }

    private boolean tryEncode(int codePoint) {
        try {
            font.encode(new String(Character.toChars(codePoint)));
            return true;
        } catch (IllegalArgumentException notInEncoding) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
