package dev.tally.ledger.api.payment;

import dev.tally.ledger.api.invoice.Settlement;
import dev.tally.ledger.api.money.Money;
import java.time.Instant;
import java.util.List;

/**
 * A payment was received. {@code settlements} apply it to the oldest unpaid invoices first; what
 * no invoice takes is held as unapplied cash ({@code unapplied}) for later invoices.
 */
public record PaymentRecorded(String accountId, String paymentId, Money amount, String method, String externalRef,
                              List<Settlement> settlements, Money unapplied, Instant receivedAt) {

    public PaymentRecorded {
        settlements = settlements == null ? List.of() : List.copyOf(settlements);
    }

    /** A payment that no invoice took: all of it unapplied. */
    public PaymentRecorded(String accountId, String paymentId, Money amount, String method, String externalRef,
                           Money unapplied, Instant receivedAt) {
        this(accountId, paymentId, amount, method, externalRef, List.of(), unapplied, receivedAt);
    }
}
