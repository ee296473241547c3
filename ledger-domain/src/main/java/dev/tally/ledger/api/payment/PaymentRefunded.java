package dev.tally.ledger.api.payment;

import dev.tally.ledger.api.invoice.Settlement;
import dev.tally.ledger.api.money.Money;
import java.time.Instant;
import java.util.List;

/**
 * (Part of) a payment went back to the customer: {@code fromUnapplied} came out of the payment's
 * unapplied cash, the rest was taken back from invoices it had settled ({@code reopened}, newest
 * first), which owe it again.
 */
public record PaymentRefunded(String accountId, String refundId, String paymentId, Money amount,
                              Money fromUnapplied, List<Settlement> reopened, Instant refundedAt) {

    public PaymentRefunded {
        reopened = reopened == null ? List.of() : List.copyOf(reopened);
    }

    /** A refund entirely out of unapplied cash. */
    public PaymentRefunded(String accountId, String refundId, String paymentId, Money amount, Money fromUnapplied,
                           Instant refundedAt) {
        this(accountId, refundId, paymentId, amount, fromUnapplied, List.of(), refundedAt);
    }
}
