package dev.tally.ledger.api.payment;

import dev.tally.ledger.api.money.Money;
import java.time.Instant;

/**
 * A payment is disputed. The money has not moved yet (a lost dispute comes back as a refund),
 * so nothing is journaled; the event tells finance which payment is at risk.
 */
public record PaymentDisputed(String accountId, String disputeId, String paymentId, Money amount, String reason,
                              String externalRef, Instant disputedAt) {
}
