package dev.tally.ledger.account;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tally.ledger.api.invoice.InvoiceLine;
import dev.tally.ledger.api.invoice.LineKind;
import dev.tally.ledger.api.invoice.RevenueShare;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The account aggregate's view of an invoice it issued: what it owes, what was paid, and what a
 * void would have to undo (the revenue of its lines, and what issue-time funding drew per grant;
 * the credit its billed usage drew is on the draws it billed), when it falls due, and the true-up
 * it billed.
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
    /** The minimum true-up it billed: what late usage of its period is first set against. */
    final BigDecimal trueUp;

    @JsonCreator
    IssuedInvoice(@JsonProperty("invoiceId") String invoiceId, @JsonProperty("number") String number,
                  @JsonProperty("periodStart") Instant periodStart, @JsonProperty("total") BigDecimal total,
                  @JsonProperty("drawnAtIssue") Map<String, BigDecimal> drawnAtIssue,
                  @JsonProperty("revenue") List<RevenueShare> revenue, @JsonProperty("paid") BigDecimal paid,
                  @JsonProperty("voided") boolean voided, @JsonProperty("dueAt") Instant dueAt,
                  @JsonProperty("trueUp") BigDecimal trueUp) {
        this.invoiceId = invoiceId;
        this.number = number;
        this.periodStart = periodStart;
        this.total = total;
        this.drawnAtIssue = new TreeMap<>(drawnAtIssue);
        this.revenue = List.copyOf(revenue);
        this.paid = paid;
        this.voided = voided;
        this.dueAt = dueAt;
        this.trueUp = trueUp;
    }

    /**
     * The revenue of its lines, line by line, for a void to reverse. A minimum-credit line is
     * netted into the late usage line before it: that part of the usage was paid by the earlier
     * invoice's true-up, so this invoice did not bill it and its void must not reverse it.
     */
    static List<RevenueShare> revenueOf(List<InvoiceLine> lines) {
        List<RevenueShare> shares = new ArrayList<>(lines.size());
        for (InvoiceLine line : lines) {
            if (line.kind() == LineKind.MINIMUM_CREDIT) {
                RevenueShare late = shares.remove(shares.size() - 1);
                if (!late.revenueAccount().equals(line.revenueAccount())) {
                    throw new IllegalStateException("a minimum credit follows the late usage line it covers: " + line);
                }
                shares.add(new RevenueShare(late.revenueAccount(), late.amount().plus(line.amount())));
            } else {
                shares.add(new RevenueShare(line.revenueAccount(), line.amount()));
            }
        }
        return shares;
    }

    /** What of the true-up late usage is still set against: none once the invoice is voided. */
    BigDecimal trueUpStillBilled() {
        return voided ? BigDecimal.ZERO : trueUp;
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
                && total.equals(that.total) && Objects.equals(dueAt, that.dueAt) && trueUp.equals(that.trueUp)
                && drawnAtIssue.equals(that.drawnAtIssue) && revenue.equals(that.revenue) && paid.equals(that.paid);
    }

    @Override
    public int hashCode() {
        return invoiceId.hashCode();
    }
}
