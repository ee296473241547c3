package dev.tally.ledger.invoice;

import java.time.Instant;

/**
 * Hands out human-readable invoice numbers, sequential per issuer and year without gaps
 * ({@code TLY-2026-000123}). The server takes the number in the transaction that appends the
 * invoice, so a number is used exactly when its invoice is committed.
 */
public interface InvoiceNumbers {

    String next(Instant issuedAt);
}
