package dev.tally.projections.balance;

/** A grant whose expiry has passed while it is still active: the expiry scheduler's work item. */
public record ExpiredGrant(String accountId, String grantId) {
}
