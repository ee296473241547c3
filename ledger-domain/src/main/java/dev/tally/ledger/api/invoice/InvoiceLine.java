package dev.tally.ledger.api.invoice;

import dev.tally.ledger.api.money.Money;
import dev.tally.ledger.api.plan.MeterPrice;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One line of an invoice. {@code amount} is {@code exactAmount} rounded HALF_UP to the currency's
 * minor unit; the exact figure is kept so that the rounding is auditable. {@code periodStart} is
 * the billing period the line's usage or charge belongs to (an earlier one for late usage);
 * {@code meter}, {@code quantity} and {@code planVersion} are set on usage lines only (the meter
 * also on a minimum credit), {@code chargeId} on charge lines only. {@code revenueAccount} is the
 * journal account that earned the line's revenue, which a void reverses.
 *
 * <p>On usage lines, {@code price} is the meter's price as plan version {@code planVersion} states
 * it, and {@code cumulativeQuantity} the period's quantity of the meter after the line's usage, so
 * that the document can state the price and the tiers the usage reached (its units took the
 * period from {@code cumulativeQuantity − quantity} to {@code cumulativeQuantity}). Both are null
 * on other lines and on lines issued before invoices stated prices.
 */
public record InvoiceLine(LineKind kind, String meter, Instant periodStart, BigDecimal quantity, Integer planVersion,
                          String chargeId, String description, Money amount, Money exactAmount,
                          String revenueAccount, MeterPrice price, BigDecimal cumulativeQuantity) {
}
