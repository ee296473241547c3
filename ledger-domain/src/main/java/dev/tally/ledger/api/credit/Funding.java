package dev.tally.ledger.api.credit;

import dev.tally.ledger.api.money.Money;
import java.util.List;

/**
 * How an accrual or a charge was paid for. For a positive amount: {@code drawn} from grants,
 * the rest uncovered ({@code uncoveredChange} ≥ 0). For a negative amount: the period's
 * uncovered reduced first ({@code uncoveredChange} ≤ 0), then {@code restored} to grants.
 * Always: amount = Σ drawn − Σ restored + uncoveredChange.
 */
public record Funding(List<CreditMovement> drawn, List<CreditMovement> restored, Money uncoveredChange) {

    public Funding {
        drawn = drawn == null ? List.of() : List.copyOf(drawn);
        restored = restored == null ? List.of() : List.copyOf(restored);
    }

    public static Funding none(String currency) {
        return new Funding(List.of(), List.of(), Money.zero(currency));
    }

    public Money totalDrawn() {
        return drawn.stream().map(CreditMovement::amount).reduce(Money.zero(uncoveredChange.currency()), Money::plus);
    }

    public Money totalRestored() {
        return restored.stream().map(CreditMovement::amount).reduce(Money.zero(uncoveredChange.currency()), Money::plus);
    }

    /** The net change of the account's credit liability: drawn reduces it, restored raises it. */
    public Money netCreditUsed() {
        return totalDrawn().minus(totalRestored());
    }
}
