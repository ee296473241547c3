package dev.tally.integrations.stripe;

import dev.tally.ledger.api.invoice.InvoiceIssued;
import dev.tally.ledger.api.invoice.InvoiceLine;
import dev.tally.ledger.api.money.Money;

import java.util.ArrayList;
import java.util.List;

/**
 * What Stripe is asked to collect for one ledger invoice: one item per line, then negative items
 * for the credits applied and for cash already settled at issue, so that the Stripe invoice's
 * total is exactly what the ledger says is still owed ({@link #amountDueMinorUnits()}).
 */
public record InvoiceCollection(String accountId, String invoiceId, String number, String currency,
                                List<StripeItem> items, long amountDueMinorUnits) {

    public static final String CREDITS_LINE = "credits";
    public static final String SETTLED_LINE = "settled-at-issue";

    public InvoiceCollection {
        items = List.copyOf(items);
        long sum = items.stream().mapToLong(StripeItem::amountMinorUnits).sum();
        if (sum != amountDueMinorUnits) {
            throw new IllegalArgumentException("items sum to " + sum + ", not the amount due " + amountDueMinorUnits);
        }
    }

    public static InvoiceCollection of(InvoiceIssued invoice) {
        List<StripeItem> items = new ArrayList<>();
        Money linesTotal = Money.zero(invoice.currency());
        for (int index = 0; index < invoice.lines().size(); index++) {
            InvoiceLine line = invoice.lines().get(index);
            items.add(new StripeItem("line-" + index, line.description(), MinorUnits.of(line.amount())));
            linesTotal = linesTotal.plus(line.amount());
        }
        // The difference, not creditsApplied itself, so the Stripe total equals the ledger's total to the cent
        // whatever rounding the ledger applied between subtotal and total.
        Money credits = invoice.total().minus(linesTotal);
        if (credits.isPositive()) {
            throw new IllegalArgumentException("invoice " + invoice.invoiceId() + " totals more than its lines");
        }
        if (!credits.isZero()) {
            items.add(new StripeItem(CREDITS_LINE, "Credits applied", MinorUnits.of(credits)));
        }
        Money settled = invoice.amountSettledAtIssue();
        if (settled.isPositive()) {
            items.add(new StripeItem(SETTLED_LINE, "Paid from account balance", -MinorUnits.of(settled)));
        }
        return new InvoiceCollection(invoice.accountId(), invoice.invoiceId(), invoice.number(), invoice.currency(),
                items, MinorUnits.of(invoice.total().minus(settled)));
    }
}
