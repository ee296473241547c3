package dev.tally.projections.support;

import dev.tally.ledger.api.projection.ProjectionEventSkipped;
import java.util.HashSet;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The ids of every event an admin skipped, read from the event store: the source of
 * {@link UnprojectableEvents}' skips for the server's processor and for a rebuild alike. A skip is
 * recorded after the event it skips, so a replay from the start must know every skip first. A
 * partial index on the event table keeps this read small however long the history.
 */
public final class SkippedEvents {

    private SkippedEvents() {
    }

    public static Set<String> inLedger(JdbcTemplate jdbc) {
        Set<String> skipped = new HashSet<>();
        jdbc.query("""
                SELECT payload ->> 'eventId' FROM events.domain_event_entry WHERE payloadType = ?""",
                row -> {
                    skipped.add(row.getString(1));
                }, ProjectionEventSkipped.class.getName());
        return skipped;
    }

    /** The ids of the events of {@code accountId} an admin skipped (the skips are on its own stream). */
    public static Set<String> ofAccount(JdbcTemplate jdbc, String accountId) {
        return new HashSet<>(jdbc.queryForList("""
                SELECT payload ->> 'eventId' FROM events.domain_event_entry
                WHERE aggregateIdentifier = ? AND payloadType = ?""", String.class, accountId,
                ProjectionEventSkipped.class.getName()));
    }
}
