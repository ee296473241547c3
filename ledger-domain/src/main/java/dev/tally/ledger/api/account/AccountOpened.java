package dev.tally.ledger.api.account;

import dev.tally.ledger.api.money.Money;
import java.time.Instant;

/** An account exists from now on; {@code billingStart} is already resolved to an instant. */
public record AccountOpened(String accountId, String name, String currency, String planId, int billingAnchorDay,
                            Instant billingStart, Money lowBalanceThreshold, String email, Instant openedAt) {
}
