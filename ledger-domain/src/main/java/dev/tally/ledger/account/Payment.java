package dev.tally.ledger.account;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tally.ledger.api.invoice.Settlement;
import dev.tally.ledger.api.payment.PaymentRecorded;
import dev.tally.ledger.api.payment.RecordPayment;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The account aggregate's view of one payment: what it was, which invoices it settled (in the
 * order it settled them), what of it is still unapplied cash, and how much went back.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
final class Payment {

    final String paymentId;
    final BigDecimal amount;
    final String method;
    final String externalRef;
    final LinkedHashMap<String, BigDecimal> settled;
    BigDecimal unapplied;
    BigDecimal refunded = BigDecimal.ZERO;

    Payment(PaymentRecorded event) {
        this.paymentId = event.paymentId();
        this.amount = event.amount().amount();
        this.method = event.method();
        this.externalRef = event.externalRef();
        this.settled = new LinkedHashMap<>();
        for (Settlement settlement : event.settlements()) {
            settle(settlement.invoiceId(), settlement.amount().amount());
        }
        this.unapplied = event.unapplied().amount();
    }

    @JsonCreator
    Payment(@JsonProperty("paymentId") String paymentId, @JsonProperty("amount") BigDecimal amount,
            @JsonProperty("method") String method, @JsonProperty("externalRef") String externalRef,
            @JsonProperty("settled") Map<String, BigDecimal> settled,
            @JsonProperty("unapplied") BigDecimal unapplied, @JsonProperty("refunded") BigDecimal refunded) {
        this.paymentId = paymentId;
        this.amount = amount;
        this.method = method;
        this.externalRef = externalRef;
        this.settled = new LinkedHashMap<>(settled);
        this.unapplied = unapplied;
        this.refunded = refunded;
    }

    void settle(String invoiceId, BigDecimal part) {
        settled.merge(invoiceId, part, BigDecimal::add);
    }

    void takeBack(String invoiceId, BigDecimal part) {
        BigDecimal left = settled.get(invoiceId).subtract(part);
        if (left.signum() == 0) {
            settled.remove(invoiceId);
        } else {
            settled.put(invoiceId, left);
        }
    }

    BigDecimal refundable() {
        return amount.subtract(refunded);
    }

    boolean sameAs(RecordPayment command) {
        return command.amount() != null && amount.compareTo(command.amount().amount()) == 0
                && Objects.equals(method, command.method()) && Objects.equals(externalRef, command.externalRef());
    }

    // Value equality lets Axon's fixtures check that event sourcing rebuilds exactly the state
    // the command handler decided on.
    @Override
    public boolean equals(Object other) {
        return other instanceof Payment that && paymentId.equals(that.paymentId) && amount.equals(that.amount)
                && Objects.equals(method, that.method) && Objects.equals(externalRef, that.externalRef)
                && settled.equals(that.settled) && unapplied.compareTo(that.unapplied) == 0
                && refunded.equals(that.refunded);
    }

    @Override
    public int hashCode() {
        return paymentId.hashCode();
    }
}
