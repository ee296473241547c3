package dev.tally.projections.balance;

import java.math.BigDecimal;
import java.time.Instant;

/** One credit grant and what remains of it. */
public record GrantView(String grantId, String kind, BigDecimal amount, BigDecimal remaining, Instant effectiveAt,
                        Instant expiresAt, int priority, String description, String status, Instant grantedAt) {
}
