package dev.tally.ledger.api.invoice;

import dev.tally.ledger.api.money.Money;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One line of an invoice. {@code amount} is {@code exactAmount} rounded HALF_UP to the currency's
 * minor unit; the exact figure is kept so that the rounding is auditable. {@code periodStart} is
 * the billing period the line's usage or charge belongs to (an earlier one for late usage);
 * {@code meter}, {@code quantity} and {@code planVersion} are set on usage lines only,
 * {@code chargeId} on charge lines only. {@code revenueAccount} is the journal account that
 * earned the line's revenue, which a void reverses.
 */
public record InvoiceLine(LineKind kind, String meter, Instant periodStart, BigDecimal quantity, Integer planVersion,
                          String chargeId, String description, Money amount, Money exactAmount,
                          String revenueAccount) {
}
