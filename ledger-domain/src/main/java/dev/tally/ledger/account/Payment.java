package dev.tally.ledger.account;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tally.ledger.api.payment.PaymentRecorded;
import dev.tally.ledger.api.payment.RecordPayment;
import java.math.BigDecimal;
import java.util.Objects;

/** The account aggregate's view of one payment: what it was and how much went back. */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
final class Payment {

    final String paymentId;
    final BigDecimal amount;
    final String method;
    final String externalRef;
    BigDecimal refunded = BigDecimal.ZERO;

    Payment(PaymentRecorded event) {
        this.paymentId = event.paymentId();
        this.amount = event.amount().amount();
        this.method = event.method();
        this.externalRef = event.externalRef();
    }

    @JsonCreator
    Payment(@JsonProperty("paymentId") String paymentId, @JsonProperty("amount") BigDecimal amount,
            @JsonProperty("method") String method, @JsonProperty("externalRef") String externalRef,
            @JsonProperty("refunded") BigDecimal refunded) {
        this.paymentId = paymentId;
        this.amount = amount;
        this.method = method;
        this.externalRef = externalRef;
        this.refunded = refunded;
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
                && refunded.equals(that.refunded);
    }

    @Override
    public int hashCode() {
        return paymentId.hashCode();
    }
}
