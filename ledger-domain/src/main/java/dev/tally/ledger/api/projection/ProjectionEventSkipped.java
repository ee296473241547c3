package dev.tally.ledger.api.projection;

import java.time.Instant;

/**
 * The account's event {@code eventId}, at global {@code position}, is left out of every read model
 * and every rebuild: {@code processingGroup} could not apply it, and an admin chose to go on
 * without it. Who decided is the event's actor, like every other event's.
 */
public record ProjectionEventSkipped(String accountId, String eventId, long position, String processingGroup,
                                     String reason, Instant skippedAt) {
}
