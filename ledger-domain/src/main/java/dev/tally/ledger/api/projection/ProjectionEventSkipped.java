package dev.tally.ledger.api.projection;

import java.time.Instant;

/**
 * The account's event {@code eventId}, at global {@code position}, is left out by the processor
 * {@code processingGroup}, which could not handle it, because an admin chose to go on without it.
 * When that processor is the read models' ({@code ledger-projections}), every projection, every
 * rebuild and every balance replay leave it out. Who decided is the event's actor, like every
 * other event's.
 */
public record ProjectionEventSkipped(String accountId, String eventId, long position, String processingGroup,
                                     String reason, Instant skippedAt) {
}
