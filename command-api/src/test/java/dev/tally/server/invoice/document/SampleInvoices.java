package dev.tally.server.invoice.document;

import dev.tally.ledger.api.plan.MeterPrice;
import dev.tally.ledger.api.plan.PriceModel;
import dev.tally.projections.invoice.InvoiceLineView;
import dev.tally.projections.invoice.InvoiceView;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Invoices as the projection would hand them over, for the PDF tests and the README picture. */
final class SampleInvoices {

    static final Instant MARCH = Instant.parse("2026-03-01T00:00:00Z");
    static final Instant APRIL = Instant.parse("2026-04-01T00:00:00Z");
    static final Instant FEBRUARY = Instant.parse("2026-02-01T00:00:00Z");
    static final Instant ISSUED_AT = Instant.parse("2026-04-01T01:00:00Z");
    /** Issue plus the default payment terms of 30 days. */
    static final Instant DUE_AT = Instant.parse("2026-05-01T01:00:00Z");

    static final InvoiceIssuer ISSUER = new InvoiceIssuer("Tally Demo Inc.",
            List.of("500 Market Street, Suite 1200", "San Francisco, CA 94105", "United States"),
            "billing@tally.example");
    static final InvoiceCustomer ACME = new InvoiceCustomer("acme-robotics", "Acme Robotics",
            "accounts-payable@acme-robotics.example");

    private SampleInvoices() {
    }

    /**
     * A usage line on a per-unit price. The samples' amounts are exact multiples of their quantities,
     * so the price the plan states is their quotient (the document itself never divides).
     */
    static InvoiceLineView usage(String meter, String quantity, String description, String amount) {
        return usage(meter, quantity, description, amount, perUnitPriceOf(meter, quantity, amount));
    }

    /** A usage line of this period under {@code price}: its quantity is all of the period's. */
    static InvoiceLineView usage(String meter, String quantity, String description, String amount, MeterPrice price) {
        return new InvoiceLineView("usage", meter, MARCH, new BigDecimal(quantity), 3, description,
                new BigDecimal(amount), price, new BigDecimal(quantity));
    }

    static InvoiceLineView lateUsage(String meter, Instant period, String quantity, String description,
                                     String amount) {
        return lateUsage(meter, period, quantity, quantity, description, amount,
                perUnitPriceOf(meter, quantity, amount));
    }

    /** Late usage under {@code price} that took its period's quantity to {@code cumulativeQuantity}. */
    static InvoiceLineView lateUsage(String meter, Instant period, String quantity, String cumulativeQuantity,
                                     String description, String amount, MeterPrice price) {
        return new InvoiceLineView("late_usage", meter, period, new BigDecimal(quantity), 3, description,
                new BigDecimal(amount), price, new BigDecimal(cumulativeQuantity));
    }

    static InvoiceLineView charge(String description, String amount) {
        return new InvoiceLineView("charge", null, MARCH, null, null, description, new BigDecimal(amount), null,
                null);
    }

    static InvoiceLineView minimum(String description, String amount) {
        return new InvoiceLineView("minimum", null, MARCH, null, 3, description, new BigDecimal(amount), null, null);
    }

    private static MeterPrice perUnitPriceOf(String meter, String quantity, String amount) {
        return new MeterPrice(meter, PriceModel.PER_UNIT, new BigDecimal(amount).divide(new BigDecimal(quantity)),
                List.of(), null, null);
    }

    static InvoiceView march(String currency, String status, List<InvoiceLineView> lines, String creditsApplied,
                             String amountPaid) {
        BigDecimal subtotal = lines.stream().map(InvoiceLineView::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal credits = new BigDecimal(creditsApplied);
        Instant voidedAt = "void".equals(status) ? Instant.parse("2026-04-03T09:30:00Z") : null;
        String voidReason = "void".equals(status) ? "Billed to the wrong account" : null;
        return new InvoiceView("inv-acme-2026-03", "TLY-2026-000042", ACME.accountId(), currency, MARCH, APRIL, status,
                ISSUED_AT, lines, subtotal, credits, BigDecimal.ZERO, subtotal.subtract(credits),
                new BigDecimal(amountPaid), voidedAt, voidReason, 0, null, null, DUE_AT);
    }

    /** The README's invoice: three meters, late usage from February, a manual charge, promotional credits. */
    static InvoiceView readmeExample() {
        return march("USD", "issued", List.of(
                usage("gpu_seconds", "128450", "GPU seconds", "256.90"),
                usage("images", "3412", "Generated images", "136.48"),
                usage("api_calls", "1250000", "API calls", "125.00"),
                lateUsage("gpu_seconds", FEBRUARY, "2150",
                        "GPU seconds for 1 Feb 2026 \u2013 28 Feb 2026, received after invoicing", "4.30"),
                charge("Dedicated support engineer, March 2026", "250.00")), "100.00", "0");
    }
}
