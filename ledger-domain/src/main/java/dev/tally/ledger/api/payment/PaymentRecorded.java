package dev.tally.ledger.api.payment;

import dev.tally.ledger.api.money.Money;
import java.time.Instant;

/**
 * A payment was received. Its amount settles the oldest unpaid invoices first; what no invoice
 * takes is held as unapplied cash ({@code unapplied}) for later invoices.
 */
public record PaymentRecorded(String accountId, String paymentId, Money amount, String method, String externalRef,
                              Money unapplied, Instant receivedAt) {
}
