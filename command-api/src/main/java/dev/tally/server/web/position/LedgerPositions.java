package dev.tally.server.web.position;

import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.projections.support.ProcessingGroups;
import dev.tally.server.web.error.ProblemException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Read-your-writes. A command's answer names the global position of the last event of the
 * aggregates it touched ({@code Ledger-Position}); a read with {@code minPosition} waits until
 * every segment of the projection it reads has processed that position.
 */
@Component
public class LedgerPositions {

    public static final String HEADER = "Ledger-Position";
    public static final Duration MAX_WAIT = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 10;

    private final JdbcTemplate jdbc;
    private final Serializer serializer;
    private final StalledAccounts stalled;

    public LedgerPositions(JdbcTemplate jdbc, Serializer serializer, StalledAccounts stalled) {
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.stalled = stalled;
    }

    /**
     * Waits until the projections have processed {@code minPosition}, then refuses the read if
     * {@code accountId}'s views are stalled: an event held behind a dead letter counts as processed
     * for the processor, so the wait alone would answer the account's views as current.
     */
    public void awaitAccount(String accountId, Long minPosition) {
        await(ProcessingGroups.LEDGER_PROJECTIONS, minPosition);
        stalled.requireCurrent(accountId);
    }

    /** Refuses a read of {@code accountId}'s views while they are stalled (see {@link StalledAccounts}). */
    public void requireCurrent(String accountId) {
        stalled.requireCurrent(accountId);
    }

    /** The global position of the newest event of each aggregate, the highest of them; 0 when none. */
    public long latestPositionOf(Collection<String> aggregateIds) {
        if (aggregateIds.isEmpty()) {
            return 0;
        }
        Long position = jdbc.queryForObject("""
                SELECT coalesce(max((SELECT e.globalIndex FROM events.domain_event_entry e
                                     WHERE e.aggregateIdentifier = a.id
                                     ORDER BY e.sequenceNumber DESC LIMIT 1)), 0)
                FROM unnest(?::text[]) AS a(id)""", Long.class, (Object) aggregateIds.toArray(String[]::new));
        return position == null ? 0 : position;
    }

    /** Waits until {@code processingGroup} has processed {@code minPosition}; a 503 after {@link #MAX_WAIT}. */
    public void await(String processingGroup, Long minPosition) {
        if (minPosition == null || minPosition <= 0) {
            return;
        }
        if (hasProcessed(processingGroup, minPosition)) {
            return;
        }
        // Every position this API hands out is committed before it is answered, so one past the
        // event store's head was never given out: refused at once rather than waited on for nothing.
        long head = eventStoreHead();
        if (minPosition > head) {
            throw new ProblemException(ErrorCode.INVALID_FIELD, "minPosition " + minPosition
                    + " is past the ledger's last position, " + head + "; send a Ledger-Position this API answered");
        }
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        while (!hasProcessed(processingGroup, minPosition)) {
            if (System.nanoTime() > deadline) {
                throw new ProblemException(ErrorCode.POSITION_NOT_REACHED,
                        "the " + processingGroup + " projection has not reached position " + minPosition + " yet");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new ProblemException(ErrorCode.POSITION_NOT_REACHED, "interrupted while waiting");
            }
        }
    }

    /** The global position of the newest event in the store; 0 when it is empty. */
    public long eventStoreHead() {
        Long max = jdbc.queryForObject("SELECT coalesce(max(globalIndex), 0) FROM events.domain_event_entry", Long.class);
        return max == null ? 0 : max;
    }

    /** Waits for the event store itself to hold {@code minPosition} (reads served from events). */
    public void awaitEventStore(Long minPosition) {
        if (minPosition == null || minPosition <= 0) {
            return;
        }
        long head = eventStoreHead();
        if (head < minPosition) {
            throw new ProblemException(ErrorCode.INVALID_FIELD, "minPosition " + minPosition
                    + " is past the ledger's last position, " + head + "; send a Ledger-Position this API answered");
        }
    }

    /**
     * The position below which {@code processingGroup} has processed everything: its slowest
     * segment's token position; empty before it has claimed any segment.
     */
    public java.util.OptionalLong processedPosition(String processingGroup) {
        List<TrackingToken> tokens = jdbc.query(
                "SELECT token, tokenType FROM axon.token_entry WHERE processorName = ?",
                (row, index) -> deserialize(row.getBytes(1), row.getString(2)), processingGroup);
        if (tokens.isEmpty()) {
            return java.util.OptionalLong.empty();
        }
        long slowest = Long.MAX_VALUE;
        for (TrackingToken token : tokens) {
            slowest = Math.min(slowest, token == null ? 0 : token.position().orElse(0));
        }
        return java.util.OptionalLong.of(slowest);
    }

    boolean hasProcessed(String processingGroup, long position) {
        List<TrackingToken> tokens = jdbc.query(
                "SELECT token, tokenType FROM axon.token_entry WHERE processorName = ?",
                (row, index) -> deserialize(row.getBytes(1), row.getString(2)), processingGroup);
        if (tokens.isEmpty()) {
            return false;
        }
        for (TrackingToken token : tokens) {
            if (token == null || token.position().orElse(-1) < position) {
                return false;
            }
            if (token instanceof GapAwareTrackingToken gapAware && gapAware.getGaps().contains(position)) {
                return false;
            }
        }
        return true;
    }

    private TrackingToken deserialize(byte[] bytes, String type) {
        if (bytes == null || type == null) {
            return null;
        }
        return serializer.deserialize(new SimpleSerializedObject<>(bytes, byte[].class, new SimpleSerializedType(type, null)));
    }
}
