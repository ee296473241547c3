package dev.tally.ledger.api.invoice;

import dev.tally.ledger.api.money.Money;
import java.time.Instant;
import java.util.List;

/**
 * An invoice was voided. {@code writtenOff} is its unpaid total, cancelled by a credit note;
 * {@code returnedCredits} the credit given back when the void asked for it.
 * {@code reversedRevenue} spreads writtenOff plus the returned credit over the revenue accounts
 * of the invoice's lines, in line order.
 */
public record InvoiceVoided(String accountId, String invoiceId, String number, Money writtenOff,
                            List<ReturnedCredit> returnedCredits, List<RevenueShare> reversedRevenue, String reason,
                            Instant voidedAt) {

    public InvoiceVoided {
        returnedCredits = List.copyOf(returnedCredits);
        reversedRevenue = List.copyOf(reversedRevenue);
    }
}
