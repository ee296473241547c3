package dev.tally.integrations.stripe;

import dev.tally.ledger.api.credit.Funding;
import dev.tally.ledger.api.invoice.InvoiceIssued;
import dev.tally.ledger.api.invoice.InvoiceLine;
import dev.tally.ledger.api.invoice.LineKind;
import dev.tally.ledger.api.invoice.Settlement;
import dev.tally.ledger.api.money.Money;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Issued invoices for tests: lines 2.47 + 5.00 + 12.53 = 20.00, credits 3.00, total 17.00 (the spec's example shape). */
public final class TestInvoices {

    public static final Instant PERIOD_START = Instant.parse("2026-10-01T00:00:00Z");
    public static final Instant PERIOD_END = Instant.parse("2026-11-01T00:00:00Z");
    public static final Instant ISSUED_AT = Instant.parse("2026-11-01T01:00:00Z");
    /** Issue plus the account's payment terms, 14 days here: not the default, so a test sees whose date is used. */
    public static final Instant DUE_AT = ISSUED_AT.plus(Duration.ofDays(14));

    private TestInvoices() {
    }

    public static InvoiceIssued issued(String accountId, String invoiceId) {
        return issued(accountId, invoiceId, "17.00", List.of());
    }

    public static InvoiceIssued issued(String accountId, String invoiceId, String total, List<Settlement> settlements) {
        List<InvoiceLine> lines = List.of(line(LineKind.USAGE, "gpu_seconds", "2.47"), line(LineKind.USAGE, "images", "5.00"),
                line(LineKind.MINIMUM, null, "12.53"));
        Money subtotal = usd("20.00");
        Money totalMoney = usd(total);
        return new InvoiceIssued(accountId, invoiceId, "TLY-2026-000001", "USD", PERIOD_START, PERIOD_END, lines,
                subtotal, subtotal.minus(totalMoney), totalMoney, List.of(PERIOD_START), usd("17.00"),
                Funding.none("USD"), Money.zero("USD"), Money.zero("USD"), settlements, ISSUED_AT, DUE_AT);
    }

    public static Money usd(String amount) {
        return Money.of("USD", new BigDecimal(amount));
    }

    private static InvoiceLine line(LineKind kind, String meter, String amount) {
        return new InvoiceLine(kind, meter, PERIOD_START, null, null, null, kind.wireName() + " " + (meter == null ? "" : meter),
                usd(amount), usd(amount), "revenue", null, null);
    }
}
