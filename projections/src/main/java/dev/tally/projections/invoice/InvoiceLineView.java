package dev.tally.projections.invoice;

import dev.tally.ledger.api.plan.MeterPrice;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One invoice line as read: kind is usage, late_usage, charge, minimum or minimum_credit. Usage
 * lines carry the {@code price} their plan version states and the period's {@code cumulativeQuantity}
 * after their usage (see {@code InvoiceLine}); other lines, and lines issued before invoices stated
 * prices, carry neither.
 */
public record InvoiceLineView(String kind, String meter, Instant periodStart, BigDecimal quantity, Integer planVersion,
                              String description, BigDecimal amount, MeterPrice price, BigDecimal cumulativeQuantity) {
}
