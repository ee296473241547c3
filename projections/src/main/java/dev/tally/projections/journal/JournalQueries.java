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

    public List<JournalLine> postings(String accountId, long afterPosition, int afterLine, int limit) {
        return jdbc.query("""
                SELECT position, line, event_id, recorded_at, ledger_account, debit, credit, description
                FROM projections.journal_posting
                WHERE account_id = ? AND (position, line) > (?, ?)
                ORDER BY position, line LIMIT ?""",
                (row, index) -> new JournalLine(row.getLong(1), row.getInt(2), row.getString(3),
                        fromSql(row.getTimestamp(4)), row.getString(5), row.getBigDecimal(6), row.getBigDecimal(7),
                        row.getString(8)),
                accountId, afterPosition, afterLine, limit);
    }
}
