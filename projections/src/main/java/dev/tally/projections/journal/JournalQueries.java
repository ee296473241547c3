package dev.tally.projections.journal;

import static dev.tally.projections.support.Timestamps.fromSql;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/** Reads of the journal projection in ledger order, paged by (position, line). */
public class JournalQueries {

    private final JdbcTemplate jdbc;

    public JournalQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * An account's postings after (sequence, line) in ledger order, each with its event's global
     * position read from the event store.
     */
    public List<JournalLine> postings(String accountId, long afterSequence, int afterLine, int limit) {
        return jdbc.query("""
                SELECT e.globalIndex, p.sequence, p.line, p.event_id, p.recorded_at, p.ledger_account, p.debit,
                       p.credit, p.description
                FROM projections.journal_posting p
                JOIN events.domain_event_entry e ON e.eventIdentifier = p.event_id
                WHERE p.account_id = ? AND (p.sequence, p.line) > (?, ?)
                ORDER BY p.sequence, p.line LIMIT ?""",
                (row, index) -> new JournalLine(row.getLong(1), row.getLong(2), row.getInt(3), row.getString(4),
                        fromSql(row, 5), row.getString(6), row.getBigDecimal(7), row.getBigDecimal(8),
                        row.getString(9)),
                accountId, afterSequence, afterLine, limit);
    }
}
