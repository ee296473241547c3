package dev.tally.server.invoice.document;

import static dev.tally.server.invoice.document.SampleInvoices.ACME;
import static dev.tally.server.invoice.document.SampleInvoices.FEBRUARY;
import static dev.tally.server.invoice.document.SampleInvoices.ISSUER;
import static dev.tally.server.invoice.document.SampleInvoices.lateUsage;
import static dev.tally.server.invoice.document.SampleInvoices.march;
import static dev.tally.server.invoice.document.SampleInvoices.usage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ledger.api.plan.MeterPrice;
import dev.tally.ledger.api.plan.Tier;
import dev.tally.projections.invoice.InvoiceLineView;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

// Goal: the invoice document states each line's price as the plan states it, for every price model, never an
// amount divided by a quantity.
class InvoicePriceTextTest {

    private static final List<Tier> TIERS = List.of(new Tier(new BigDecimal("100"), new BigDecimal("0.04"),
            new BigDecimal("2.00")), new Tier(null, new BigDecimal("0.02"), null));

    private final InvoicePdf invoicePdf = new InvoicePdf();

    @Test
    void printsThePerUnitPriceItselfNotTheAmountOverTheQuantity() throws IOException {
        // 12,345 × 0.0004 = 4.938, billed 4.94; 4.94 / 12,345 would read 0.0004002.
        String text = textOf(usage("api_calls", "12345", "API calls", "4.94",
                MeterPrice.perUnit("api_calls", "0.0004")));

        assertThat(text).contains("PRICE", "API calls 12,345 USD 0.0004 USD 4.94").doesNotContain("0.0004002");
    }

    @Test
    void printsAPerUnitPriceWithEveryDecimalThePlanGaveAndAtLeastTheMinorUnits() throws IOException {
        String text = textOf(usage("gpu_seconds", "10", "GPU seconds", "5.00", MeterPrice.perUnit("gpu_seconds", "0.5")),
                usage("tokens", "3", "Tokens", "0.00", MeterPrice.perUnit("tokens", "0.000000123456")));

        assertThat(text).contains("GPU seconds 10 USD 0.50 USD 5.00", "Tokens 3 USD 0.000000123456 USD 0.00");
    }

    @Test
    void printsThePackagePriceAndSize() throws IOException {
        // 250 images in packages of 100 at 2.50: three packages, 7.50.
        String text = textOf(usage("images", "250", "Generated images", "7.50",
                MeterPrice.packaged("images", "100", "2.50")));

        assertThat(text).contains("Generated images 250 USD 2.50 per 100 USD 7.50").doesNotContain("USD 0.03");
    }

    @Test
    void printsTieredAndEveryGraduatedTierTheUsageReached() throws IOException {
        // 100 × 0.04 + 2.00 + 50 × 0.02 = 7.00.
        String text = textOf(usage("images", "150", "Generated images", "7.00", MeterPrice.graduated("images", TIERS)));

        assertThat(text).contains("Generated images 150 tiered USD 7.00", "up to 100: USD 0.04 each + USD 2.00 flat",
                "over 100: USD 0.02 each");
        assertThat(text).doesNotContain("0.0467", "0.046");
    }

    @Test
    void printsTieredAndTheOneVolumeTierThatPricedAllUnits() throws IOException {
        // All 150 at the second tier's 0.02: 3.00.
        String text = textOf(usage("storage_gb", "150", "Storage", "3.00", MeterPrice.volume("storage_gb", TIERS)));

        assertThat(text).contains("Storage 150 tiered USD 3.00", "over 100: USD 0.02 each on all units")
                .doesNotContain("USD 0.04");
    }

    @Test
    void printsOnlyTheTiersLateUnitsFellIn() throws IOException {
        // February had 120 images when invoiced; 30 more arrived late, all in the second tier: 0.60.
        String text = textOf(lateUsage("images", FEBRUARY, "30", "150",
                "Generated images received after invoicing", "0.60", MeterPrice.graduated("images", TIERS)));

        assertThat(text).contains("30 tiered USD 0.60", "over 100: USD 0.02 each").doesNotContain("up to 100");
    }

    @Test
    void printsNoPriceForALineThatStatesNone() throws IOException {
        // Lines issued before invoices stated prices, and sums such as charges, have no price to show.
        InvoiceLineView unstated = new InvoiceLineView("usage", "gpu_seconds", SampleInvoices.MARCH,
                new BigDecimal("2940"), 3, "GPU seconds", new BigDecimal("5.88"), null, null);
        InvoiceLineView covered = new InvoiceLineView("minimum_credit", "gpu_seconds", FEBRUARY, null, null,
                "covered by the minimum commitment of 2026-02-01 to 2026-02-28", new BigDecimal("-0.77"), null, null);

        String text = textOf(unstated, covered);

        assertThat(text).contains("GPU seconds 2,940 USD 5.88",
                "covered by the minimum commitment of 2026-02-01 to", "-USD 0.77").doesNotContain("USD 0.002");
    }

    private String textOf(InvoiceLineView... lines) throws IOException {
        byte[] pdf = invoicePdf.render(march("USD", "issued", List.of(lines), "0", "0"), ISSUER, ACME);
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(document);
        }
    }
}
