package dev.tally.projections.journal;

import java.math.BigDecimal;
import java.time.Instant;

/** One journal posting as the API shows it (spec section 8). */
public record JournalLine(long position, long sequence, int line, String eventId, Instant recordedAt, String ledgerAccount,
                          BigDecimal debit, BigDecimal credit, String description) {
}
