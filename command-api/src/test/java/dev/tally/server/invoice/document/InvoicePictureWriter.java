package dev.tally.server.invoice.document;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;

/** Writes the README's picture of an invoice: page 1 of the sample invoice as a PNG, to the path given. */
public final class InvoicePictureWriter {

    private static final float DOTS_PER_INCH = 110;

    private InvoicePictureWriter() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: InvoicePictureWriter <target.png>");
        }
        Path target = Path.of(args[0]);
        byte[] pdf = new InvoicePdf().render(SampleInvoices.readmeExample(), SampleInvoices.ISSUER,
                SampleInvoices.ACME);
        try (PDDocument document = Loader.loadPDF(pdf)) {
            BufferedImage page = new PDFRenderer(document).renderImageWithDPI(0, DOTS_PER_INCH);
            if (target.toAbsolutePath().getParent() != null) {
                Files.createDirectories(target.toAbsolutePath().getParent());
            }
            ImageIO.write(page, "png", target.toFile());
        }
    }
}
