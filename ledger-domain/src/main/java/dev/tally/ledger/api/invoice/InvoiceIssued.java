package dev.tally.ledger.api.invoice;

import dev.tally.ledger.api.account.OpenAccount;
import dev.tally.ledger.api.credit.Funding;
import dev.tally.ledger.api.money.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A billing period was closed and its invoice issued (spec section 5).
 *
 * <p>{@code billedPeriods} are the periods whose unbilled items the invoice carries: its own and
 * any earlier one with late usage or charges; {@code billedUncovered} is their exact uncovered
 * amount, which leaves the balance's {@code unbilled}. {@code issueFunding} is what grants still
 * usable at issue drew for the minimum true-up and that uncovered amount. {@code rounding} is the
 * difference between {@code total} and the exact amount left owing (journaled to
 * {@code rounding}); {@code creditCarriedForward} is a negative uncovered amount turned into a
 * prepaid grant. {@code settlements} are unapplied cash applied to the invoice at issue.
 * {@code dueAt} is issue plus the account's payment terms; an invoice issued before due dates were
 * recorded lacks it and is due after the default terms, 30 days.
 */
public record InvoiceIssued(String accountId, String invoiceId, String number, String currency, Instant periodStart,
                            Instant periodEnd, List<InvoiceLine> lines, Money subtotal, Money creditsApplied,
                            Money total, List<Instant> billedPeriods, Money billedUncovered, Funding issueFunding,
                            Money rounding, Money creditCarriedForward, List<Settlement> settlements,
                            Instant issuedAt, Instant dueAt) {

    public InvoiceIssued {
        if (dueAt == null && issuedAt != null) {
            dueAt = issuedAt.plus(Duration.ofDays(OpenAccount.DEFAULT_PAYMENT_TERMS_DAYS));
        }
        lines = List.copyOf(lines);
        billedPeriods = List.copyOf(billedPeriods);
        settlements = settlements == null ? List.of() : List.copyOf(settlements);
    }

    public Money amountSettledAtIssue() {
        return settlements.stream().map(Settlement::amount).reduce(Money.zero(currency), Money::plus);
    }

    /** The minimum commitment true-up, zero when there is none. */
    public Money trueUp() {
        return lines.stream().filter(line -> line.kind() == LineKind.MINIMUM).map(InvoiceLine::amount)
                .reduce(Money.zero(currency), Money::plus);
    }
}
