package dev.tally.ledger.api.credit;

import dev.tally.ledger.api.money.Money;
import java.time.Instant;

/**
 * A grant exists and can fund usage timestamped in [effectiveAt, expiresAt). {@code sourceInvoiceId}
 * is set when the grant is a negative invoice balance carried forward (spec section 5): then no
 * cash or promotion paid for it, the customer's receivable did.
 */
public record CreditGranted(String accountId, String grantId, Money amount, CreditKind kind, Instant effectiveAt,
                            Instant expiresAt, int priority, String description, Instant grantedAt,
                            String sourceInvoiceId) {

    /** A grant paid for in cash (prepaid) or given away (promotional). */
    public CreditGranted(String accountId, String grantId, Money amount, CreditKind kind, Instant effectiveAt,
                         Instant expiresAt, int priority, String description, Instant grantedAt) {
        this(accountId, grantId, amount, kind, effectiveAt, expiresAt, priority, description, grantedAt, null);
    }

    public boolean carriedForward() {
        return sourceInvoiceId != null;
    }
}
