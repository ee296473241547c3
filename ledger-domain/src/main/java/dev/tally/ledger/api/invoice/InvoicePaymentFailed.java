package dev.tally.ledger.api.invoice;

import java.time.Instant;

/** Collecting the invoice failed once; the invoice stays open and owed. No money moved, so nothing is journaled. */
public record InvoicePaymentFailed(String accountId, String invoiceId, String failureId, String reason,
                                   String externalRef, Instant failedAt) {
}
