package dev.tally.integrations.stripe;

import dev.tally.ledger.api.invoice.Settlement;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

// Goal: the Stripe items of an invoice always add up to exactly what the ledger says is owed.
class InvoiceCollectionTest {

    @Test
    void canCarryCreditsAsOneNegativeItemSoTheStripeTotalIsTheLedgerTotal() {
        InvoiceCollection collection = InvoiceCollection.of(TestInvoices.issued("acct-1", "inv_1"));

        assertThat(collection.items()).extracting(StripeItem::amountMinorUnits).containsExactly(247L, 500L, 1253L, -300L);
        assertThat(collection.items().get(3).lineKey()).isEqualTo(InvoiceCollection.CREDITS_LINE);
        assertThat(collection.amountDueMinorUnits()).isEqualTo(1700L);
    }

    @Test
    void canLeaveOutCashAlreadySettledAtIssue() {
        InvoiceCollection collection = InvoiceCollection.of(TestInvoices.issued("acct-1", "inv_1", "17.00",
                List.of(new Settlement("inv_1", "cash-1", TestInvoices.usd("4.50")))));

        assertThat(collection.items()).extracting(StripeItem::lineKey).endsWith(InvoiceCollection.SETTLED_LINE);
        assertThat(collection.amountDueMinorUnits()).isEqualTo(1250L);
    }

    @Test
    void canCollectAnInvoiceWithoutCredits() {
        InvoiceCollection collection = InvoiceCollection.of(TestInvoices.issued("acct-1", "inv_1", "20.00", List.of()));

        assertThat(collection.items()).hasSize(3);
        assertThat(collection.amountDueMinorUnits()).isEqualTo(2000L);
    }
}
