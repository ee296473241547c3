package dev.tally.server.invoice.document;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.util.Matrix;

/**
 * Drawing on one page, in points from the bottom-left corner. Every string passes through its
 * style's {@link TextStyle#printable} first, so no text can make PDFBox throw.
 */
final class PageCanvas implements AutoCloseable {

    private final PDPageContentStream content;

    PageCanvas(PDPageContentStream content) {
        this.content = content;
    }

    void text(String raw, float x, float baseline, TextStyle style) {
        show(style.printable(raw), Matrix.getTranslateInstance(x, baseline), style);
    }

    void textRight(String raw, float right, float baseline, TextStyle style) {
        text(raw, right - style.width(raw), baseline, style);
    }

    /** The text wrapped to {@code width} in at most {@code maxLines}; answers the baseline below its last line. */
    float paragraph(String raw, float x, float baseline, float width, int maxLines, float leading, TextStyle style) {
        List<String> lines = style.wrap(raw, width, maxLines);
        float next = baseline;
        for (String line : lines) {
            text(line, x, next, style);
            next -= leading;
        }
        return next;
    }

    /** Text turned by {@code radians} around its start point, centred on (centreX, centreY). */
    void rotatedTextCentred(String raw, float centreX, float centreY, double radians, TextStyle style) {
        float halfWidth = style.width(raw) / 2;
        float halfHeight = style.size() * 0.35f;
        double cos = Math.cos(radians);
        double sin = Math.sin(radians);
        float startX = (float) (centreX - halfWidth * cos + halfHeight * sin);
        float startY = (float) (centreY - halfWidth * sin - halfHeight * cos);
        Matrix placement = Matrix.getRotateInstance(radians, startX, startY);
        show(style.printable(raw), placement, style);
    }

    void fill(float x, float y, float width, float height, Ink ink) {
        try {
            content.setNonStrokingColor(ink.red(), ink.green(), ink.blue());
            content.addRect(x, y, width, height);
            content.fill();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void rule(float fromX, float toX, float y, float thickness, Ink ink) {
        try {
            content.setStrokingColor(ink.red(), ink.green(), ink.blue());
            content.setLineWidth(thickness);
            content.moveTo(fromX, y);
            content.lineTo(toX, y);
            content.stroke();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            content.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void show(String printable, Matrix placement, TextStyle style) {
        if (printable.isEmpty()) {
            return;
        }
        try {
            content.beginText();
            content.setFont(style.face().font(), style.size());
            content.setNonStrokingColor(style.ink().red(), style.ink().green(), style.ink().blue());
            content.setCharacterSpacing(style.tracking());
            content.setTextMatrix(placement);
            content.showText(printable);
            content.endText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
