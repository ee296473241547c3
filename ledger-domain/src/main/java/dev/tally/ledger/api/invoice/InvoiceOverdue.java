package dev.tally.ledger.api.invoice;

import dev.tally.ledger.api.money.Money;
import java.time.Instant;

/** An invoice was still unpaid, {@code amountDue} owing, when it fell due at {@code dueAt}. Nothing is journaled. */
public record InvoiceOverdue(String accountId, String invoiceId, String number, Money amountDue, Instant dueAt,
                             Instant recordedAt) {
}
