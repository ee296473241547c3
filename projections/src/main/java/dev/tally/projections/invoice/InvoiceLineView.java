package dev.tally.projections.invoice;

import java.math.BigDecimal;
import java.time.Instant;

/** One invoice line as read: kind is usage, late_usage, charge, minimum or minimum_credit. */
public record InvoiceLineView(String kind, String meter, Instant periodStart, BigDecimal quantity, Integer planVersion,
                              String description, BigDecimal amount) {
}
