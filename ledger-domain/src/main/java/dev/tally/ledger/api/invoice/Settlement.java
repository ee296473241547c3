package dev.tally.ledger.api.invoice;

import dev.tally.ledger.api.money.Money;

/** Part of a payment applied to an invoice (or, in a refund, taken back from it). The amount is positive. */
public record Settlement(String invoiceId, String paymentId, Money amount) {
}
