package dev.tally.ledger.account;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tally.ledger.api.credit.CreditGranted;
import dev.tally.ledger.api.credit.CreditKind;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * The account aggregate's view of one credit grant. Mutated only by event sourcing handlers;
 * its fields are its JSON form in an account snapshot.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
final class Grant {

    final String grantId;
    final BigDecimal amount;
    final CreditKind kind;
    final Instant effectiveAt;
    final Instant expiresAt;
    final int priority;
    final String description;
    final long order;
    BigDecimal remaining;
    boolean voided;
    boolean expired;

    Grant(CreditGranted event, long order) {
        this.grantId = event.grantId();
        this.amount = event.amount().amount();
        this.kind = event.kind();
        this.effectiveAt = event.effectiveAt();
        this.expiresAt = event.expiresAt();
        this.priority = event.priority();
        this.description = event.description();
        this.order = order;
        this.remaining = event.amount().amount();
    }

    @JsonCreator
    Grant(@JsonProperty("grantId") String grantId, @JsonProperty("amount") BigDecimal amount,
          @JsonProperty("kind") CreditKind kind, @JsonProperty("effectiveAt") Instant effectiveAt,
          @JsonProperty("expiresAt") Instant expiresAt, @JsonProperty("priority") int priority,
          @JsonProperty("description") String description, @JsonProperty("order") long order,
          @JsonProperty("remaining") BigDecimal remaining, @JsonProperty("voided") boolean voided,
          @JsonProperty("expired") boolean expired) {
        this.grantId = grantId;
        this.amount = amount;
        this.kind = kind;
        this.effectiveAt = effectiveAt;
        this.expiresAt = expiresAt;
        this.priority = priority;
        this.description = description;
        this.order = order;
        this.remaining = remaining;
        this.voided = voided;
        this.expired = expired;
    }

    boolean isLive() {
        return !voided && !expired;
    }

    /** Usable to fund something timestamped at {@code instant} (spec section 4). */
    boolean isUsableAt(Instant instant) {
        return isLive() && remaining.signum() > 0 && !effectiveAt.isAfter(instant)
                && (expiresAt == null || instant.isBefore(expiresAt));
    }

    // Value equality lets Axon's fixtures check that event sourcing rebuilds exactly the state
    // the command handler decided on.
    @Override
    public boolean equals(Object other) {
        return other instanceof Grant that && order == that.order && priority == that.priority && voided == that.voided
                && expired == that.expired && grantId.equals(that.grantId) && amount.equals(that.amount)
                && kind == that.kind && effectiveAt.equals(that.effectiveAt)
                && Objects.equals(expiresAt, that.expiresAt)
                && Objects.equals(description, that.description) && remaining.equals(that.remaining);
    }

    @Override
    public int hashCode() {
        return grantId.hashCode();
    }
}
