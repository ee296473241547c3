package dev.tally.projections.support;

import dev.tally.ledger.api.projection.ProjectionEventSkipped;
import java.util.HashSet;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The ids of the events an admin skipped in the read models, read from the event store: the source
 * of {@link UnprojectableEvents}' skips for the server's processor and for a rebuild alike. A skip
 * is recorded after the event it skips, so a replay from the start must know every skip first. A
 * partial index on the event table keeps this read small however long the history. A skip in
 * another processor (the Orb sync, the warehouse export) leaves the event in the read models.
 */
public final class SkippedEvents {

    private SkippedEvents() {
    }

    /** Every event an admin skipped in the read models' processor ({@link ProcessingGroups#LEDGER_PROJECTIONS}). */
    public static Set<String> inLedger(JdbcTemplate jdbc) {
        return new HashSet<>(jdbc.queryForList("""
                SELECT payload ->> 'eventId' FROM events.domain_event_entry
                WHERE payloadType = ? AND payload ->> 'processingGroup' = ?""", String.class,
                ProjectionEventSkipped.class.getName(), ProcessingGroups.LEDGER_PROJECTIONS));
    }

    /** The same for the events of {@code accountId} (the skips are on its own stream). */
    public static Set<String> ofAccount(JdbcTemplate jdbc, String accountId) {
        return new HashSet<>(jdbc.queryForList("""
                SELECT payload ->> 'eventId' FROM events.domain_event_entry
                WHERE aggregateIdentifier = ? AND payloadType = ? AND payload ->> 'processingGroup' = ?""",
                String.class, accountId, ProjectionEventSkipped.class.getName(), ProcessingGroups.LEDGER_PROJECTIONS));
    }

    /** Whether {@code skipped} leaves its event out of the read models (a skip in another processor does not). */
    public static boolean appliesToReadModels(ProjectionEventSkipped skipped) {
        return ProcessingGroups.LEDGER_PROJECTIONS.equals(skipped.processingGroup());
    }
}
