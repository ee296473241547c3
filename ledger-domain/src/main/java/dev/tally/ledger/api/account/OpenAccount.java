package dev.tally.ledger.api.account;

import dev.tally.ledger.api.money.Money;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Opens a customer account on a plan. {@code billingAnchorDay} defaults to 1 and
 * {@code billingStart} to the start of the period containing the moment of opening; a past
 * {@code billingStart} is allowed for customers migrated with their history.
 * {@code paymentTermsDays} (0 to 365, default 30) is how long after issue an invoice falls due.
 */
public record OpenAccount(@TargetAggregateIdentifier String accountId, String name, String currency, String planId,
                          Integer billingAnchorDay, Instant billingStart, Money lowBalanceThreshold,
                          String email, Integer paymentTermsDays) implements ForAccount {

    public static final int DEFAULT_PAYMENT_TERMS_DAYS = 30;
    /** 0: due at issue. */
    public static final int MIN_PAYMENT_TERMS_DAYS = 0;
    /** A year: longer terms are a loan, not an invoice. */
    public static final int MAX_PAYMENT_TERMS_DAYS = 365;

    /** An account on the default payment terms. */
    public OpenAccount(String accountId, String name, String currency, String planId, Integer billingAnchorDay,
                       Instant billingStart, Money lowBalanceThreshold, String email) {
        this(accountId, name, currency, planId, billingAnchorDay, billingStart, lowBalanceThreshold, email, null);
    }
}
