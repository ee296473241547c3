package dev.tally.server.audit;

import dev.tally.projections.support.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads an account's events straight from the event store, so the trail never lags behind the
 * ledger and shows exactly the stored bytes that the hash chain covers.
 */
@Component
class AuditTrail {

    /** Filters of one page: {@code type} is a simple event name, times bound the recording time. */
    record Query(String accountId, long afterSequence, String type, Instant from, Instant to, int limit) {
    }

    private final JdbcTemplate jdbc;

    AuditTrail(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    boolean streamExists(String accountId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM events.domain_event_entry WHERE aggregateIdentifier = ? AND sequenceNumber = 0)""",
                Boolean.class, accountId));
    }

    List<AuditRecord> page(Query query) {
        StringBuilder sql = new StringBuilder("""
                SELECT globalIndex, eventIdentifier, sequenceNumber, payloadType, timeStamp, metaData::text, payload::text,
                       hash, prevHash
                FROM events.domain_event_entry WHERE aggregateIdentifier = ? AND sequenceNumber > ?""");
        List<Object> arguments = new ArrayList<>(List.of(query.accountId(), query.afterSequence()));
        if (query.type() != null) {
            sql.append(" AND payloadType LIKE ?");
            arguments.add("%." + query.type());
        }
        if (query.from() != null) {
            sql.append(" AND timeStamp::timestamptz >= ?");
            arguments.add(Timestamps.toSql(query.from()));
        }
        if (query.to() != null) {
            sql.append(" AND timeStamp::timestamptz < ?");
            arguments.add(Timestamps.toSql(query.to()));
        }
        sql.append(" ORDER BY sequenceNumber LIMIT ?");
        arguments.add(query.limit());
        return jdbc.query(sql.toString(), (row, index) -> new AuditRecord(row.getLong(1), row.getString(2), row.getLong(3),
                row.getString(4), row.getString(5), row.getString(6), row.getString(7), row.getBytes(8), row.getBytes(9)),
                arguments.toArray());
    }
}
