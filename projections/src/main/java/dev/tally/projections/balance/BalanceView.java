package dev.tally.projections.balance;

import java.math.BigDecimal;
import java.util.List;

/** The balance figures of spec section 8, at the projection's position. */
public record BalanceView(String accountId, String currency, BigDecimal creditBalance, BigDecimal unbilled,
                          BigDecimal invoicedOutstanding, BigDecimal unappliedCash, List<GrantView> grants,
                          long position) {

    /** amountDue = unbilled + invoicedOutstanding − unappliedCash. */
    public BigDecimal amountDue() {
        return unbilled.add(invoicedOutstanding).subtract(unappliedCash);
    }
}
