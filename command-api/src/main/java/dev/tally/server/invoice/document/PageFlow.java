package dev.tally.server.invoice.document;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;

/**
 * Content flowing down A4 pages: a cursor {@code y} that sections move down, and a new page,
 * decorated by the caller, whenever the next block would run into the footer.
 */
final class PageFlow implements AutoCloseable {

    static final PDRectangle SIZE = PDRectangle.A4;
    static final float LEFT = 50;
    static final float RIGHT = SIZE.getWidth() - 50;
    static final float WIDTH = RIGHT - LEFT;
    /** Where the right-hand column (invoice details, totals) begins, so that its labels line up down the page. */
    static final float SUMMARY_LEFT = RIGHT - 235;
    static final float TOP = SIZE.getHeight() - 48;
    /** Below this the footer lives; flowing content never goes lower. */
    static final float BOTTOM = 72;

    /** Draws what every page carries before its content; answers where the content may start. */
    interface PageDecoration {
        float decorate(PageCanvas canvas, int pageIndex);
    }

    private final PDDocument document;
    private final PageDecoration decoration;
    private PageCanvas canvas;
    private int pageIndex = -1;
    private float y;

    PageFlow(PDDocument document, PageDecoration decoration) {
        this.document = document;
        this.decoration = decoration;
        newPage();
    }

    PageCanvas canvas() {
        return canvas;
    }

    float y() {
        return y;
    }

    void moveDown(float distance) {
        y -= distance;
    }

    /** Moves the cursor to {@code position}, which sections compute from what they have just drawn. */
    void moveTo(float position) {
        y = position;
    }

    boolean fits(float height) {
        return y - height >= BOTTOM;
    }

    void newPage() {
        if (canvas != null) {
            canvas.close();
        }
        PDPage page = new PDPage(SIZE);
        document.addPage(page);
        pageIndex++;
        try {
            canvas = new PageCanvas(new PDPageContentStream(document, page));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        y = decoration.decorate(canvas, pageIndex);
    }

    @Override
    public void close() {
        canvas.close();
    }
}
