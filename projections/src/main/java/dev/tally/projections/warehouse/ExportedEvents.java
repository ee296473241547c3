package dev.tally.projections.warehouse;

import java.sql.Array;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The exported-event ledger in PostgreSQL: which global positions each destination has
 * acknowledged, and the rows it refused. It is written in the same transaction as the
 * processor's token (or the backfill's batch), after the destination acknowledged, so an
 * acknowledged event is never sent again, whatever rewinds the token: a redelivery, a processor
 * reset or a backfill. Keyed by position rather than by a high-water mark because events commit
 * out of position order: an event filling a gap arrives after higher positions were exported.
 */
public final class ExportedEvents {

    private final JdbcTemplate jdbc;

    public ExportedEvents(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Serializes every exporter of {@code target} (a live processor segment, a backfill) until the
     * current transaction ends, so two of them never both decide to send the same event.
     */
    public void lockTarget(String target) {
        jdbc.queryForList("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", target);
    }

    /** Those of {@code positions} that {@code target} already acknowledged. */
    public Set<Long> alreadyExported(String target, Collection<Long> positions) {
        Set<Long> exported = new HashSet<>();
        if (positions.isEmpty()) {
            return exported;
        }
        jdbc.query(connection -> {
            var statement = connection.prepareStatement(
                    "SELECT global_position FROM warehouse.exported_event WHERE target = ? AND global_position = ANY (?)");
            statement.setString(1, target);
            Array array = connection.createArrayOf("bigint", positions.toArray());
            statement.setArray(2, array);
            return statement;
        }, row -> {
            exported.add(row.getLong(1));
        });
        return exported;
    }

    public void markExported(String target, Collection<Long> positions, Instant exportedAt) {
        List<Object[]> rows = new ArrayList<>(positions.size());
        for (Long position : positions) {
            rows.add(new Object[]{target, position, Timestamp.from(exportedAt)});
        }
        jdbc.batchUpdate("""
                INSERT INTO warehouse.exported_event (target, global_position, exported_at) VALUES (?, ?, ?)
                ON CONFLICT (target, global_position) DO NOTHING""", rows);
    }

    public void recordRefused(String target, Collection<RefusedRow> refused, Instant refusedAt) {
        List<Object[]> rows = new ArrayList<>(refused.size());
        for (RefusedRow row : refused) {
            rows.add(new Object[]{target, row.table().tableName(), row.eventId(), row.position(), row.reason(),
                    Timestamp.from(refusedAt)});
        }
        jdbc.batchUpdate("""
                INSERT INTO warehouse.refused_row (target, table_name, event_id, global_position, reason, refused_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (target, table_name, event_id) DO UPDATE SET reason = EXCLUDED.reason,
                    refused_at = EXCLUDED.refused_at""", rows);
    }
}
