package dev.tally.projections.balance;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * An account as the API shows it, with its external ids once the integrations know them;
 * {@code paymentTermsDays} is how long after issue its invoices fall due.
 */
public record AccountView(String accountId, String name, String currency, String planId, int billingAnchorDay,
                          Instant billingStart, BigDecimal lowBalanceThreshold, String email, Instant openedAt,
                          String orbCustomerId, String stripeCustomerId, long position, int paymentTermsDays) {
}
