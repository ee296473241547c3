package dev.tally.ledger.api.account;

import dev.tally.ledger.api.money.Money;
import java.time.Instant;

/**
 * An account exists from now on; {@code billingStart} is already resolved to an instant.
 * {@code paymentTermsDays}: its invoices fall due that many days after issue. Events stored before
 * accounts had payment terms lack the member and read as the default, 30 days.
 */
public record AccountOpened(String accountId, String name, String currency, String planId, int billingAnchorDay,
                            Instant billingStart, Money lowBalanceThreshold, String email, Instant openedAt,
                            Integer paymentTermsDays) {

    public AccountOpened {
        paymentTermsDays = paymentTermsDays == null ? OpenAccount.DEFAULT_PAYMENT_TERMS_DAYS : paymentTermsDays;
    }

    /** An account on the default payment terms. */
    public AccountOpened(String accountId, String name, String currency, String planId, int billingAnchorDay,
                         Instant billingStart, Money lowBalanceThreshold, String email, Instant openedAt) {
        this(accountId, name, currency, planId, billingAnchorDay, billingStart, lowBalanceThreshold, email, openedAt,
                null);
    }
}
