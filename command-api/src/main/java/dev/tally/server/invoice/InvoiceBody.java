package dev.tally.server.invoice;

import dev.tally.projections.invoice.InvoiceLineView;
import dev.tally.projections.invoice.InvoiceView;
import dev.tally.server.web.json.Amounts;
import java.time.Instant;
import java.util.List;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * An invoice as the API answers it (spec section 8): amounts as decimal strings in the currency's minor unit.
 * {@code overdue} is decided when the answer is made, against the server's clock (see
 * {@link InvoiceView#isOverdueAt}).
 */
@Schema(name = "Invoice")
record InvoiceBody(String invoiceId, String number, String accountId, String currency, Instant periodStart,
                   Instant periodEnd, String status, Instant issuedAt, Instant dueAt, boolean overdue,
                   List<LineBody> lines, String subtotal, String creditsApplied, String creditCarriedForward,
                   String total, String amountPaid, String amountDue, Instant voidedAt, String voidReason,
                   int paymentFailures, String lastPaymentFailure, Instant overdueSince) {

    @Schema(name = "InvoiceLine")
    record LineBody(String kind, String meter, Instant period, String quantity, Integer planVersion,
                    String description, String amount) {
    }

    static InvoiceBody of(InvoiceView invoice, Instant now) {
        String currency = invoice.currency();
        return new InvoiceBody(invoice.invoiceId(), invoice.number(), invoice.accountId(), currency,
                invoice.periodStart(), invoice.periodEnd(), invoice.status(), invoice.issuedAt(), invoice.dueAt(),
                invoice.isOverdueAt(now), invoice.lines().stream().map(line -> line(line, currency)).toList(),
                Amounts.format(invoice.subtotal(), currency), Amounts.format(invoice.creditsApplied(), currency),
                Amounts.format(invoice.creditCarriedForward(), currency), Amounts.format(invoice.total(), currency),
                Amounts.format(invoice.amountPaid(), currency), Amounts.format(invoice.amountDue(), currency),
                invoice.voidedAt(), invoice.voidReason(), invoice.paymentFailures(), invoice.lastPaymentFailure(),
                invoice.overdueSince());
    }

    private static LineBody line(InvoiceLineView line, String currency) {
        return new LineBody(line.kind(), line.meter(), line.periodStart(), Amounts.plain(line.quantity()),
                line.planVersion(), line.description(), Amounts.format(line.amount(), currency));
    }
}
