package dev.tally.ledger.account;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tally.ledger.api.invoice.RevenueShare;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The account aggregate's view of an invoice it issued: what it owes, what was paid, and what a
 * void would have to undo (the revenue of its lines, and what issue-time funding drew per grant;
 * the credit its billed usage drew is on the draws it billed), and when it falls due.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
final class IssuedInvoice {

    final String invoiceId;
    final String number;
    final Instant periodStart;
    final BigDecimal total;
    final TreeMap<String, BigDecimal> drawnAtIssue;
    final List<RevenueShare> revenue;
    BigDecimal paid;
    boolean voided;
    final Instant dueAt;

    @JsonCreator
    IssuedInvoice(@JsonProperty("invoiceId") String invoiceId, @JsonProperty("number") String number,
                  @JsonProperty("periodStart") Instant periodStart, @JsonProperty("total") BigDecimal total,
                  @JsonProperty("drawnAtIssue") Map<String, BigDecimal> drawnAtIssue,
                  @JsonProperty("revenue") List<RevenueShare> revenue, @JsonProperty("paid") BigDecimal paid,
                  @JsonProperty("voided") boolean voided, @JsonProperty("dueAt") Instant dueAt) {
        this.invoiceId = invoiceId;
        this.number = number;
        this.periodStart = periodStart;
        this.total = total;
        this.drawnAtIssue = new TreeMap<>(drawnAtIssue);
        this.revenue = List.copyOf(revenue);
        this.paid = paid;
        this.voided = voided;
        this.dueAt = dueAt;
    }

    BigDecimal due() {
        return voided ? BigDecimal.ZERO : total.subtract(paid);
    }

    boolean isOpen() {
        return !voided && due().signum() > 0;
    }

    boolean isPaid() {
        return !voided && due().signum() <= 0;
    }

    // Value equality lets Axon's fixtures check that event sourcing rebuilds exactly the state
    // the command handler decided on.
    @Override
    public boolean equals(Object other) {
        return other instanceof IssuedInvoice that && voided == that.voided && invoiceId.equals(that.invoiceId)
                && Objects.equals(number, that.number) && periodStart.equals(that.periodStart)
                && total.equals(that.total) && Objects.equals(dueAt, that.dueAt)
                && drawnAtIssue.equals(that.drawnAtIssue) && revenue.equals(that.revenue) && paid.equals(that.paid);
    }

    @Override
    public int hashCode() {
        return invoiceId.hashCode();
    }
}
