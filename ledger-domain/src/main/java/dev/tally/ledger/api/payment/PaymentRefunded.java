package dev.tally.ledger.api.payment;

import dev.tally.ledger.api.money.Money;
import java.time.Instant;

/** (Part of) a payment went back to the customer; {@code fromUnapplied} came out of unapplied cash. */
public record PaymentRefunded(String accountId, String refundId, String paymentId, Money amount,
                              Money fromUnapplied, Instant refundedAt) {
}
