package dev.tally.server.web.position;

import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.projections.support.ProcessingGroups;
import dev.tally.server.web.error.ProblemException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/**
 * Accounts whose read models stopped at an event the projections could not apply: the projection
 * processor dead-lettered it, and every later event of the account waits behind it, while other
 * accounts' events go on. Such an account's views are answered as stalled (503
 * {@code account_view_stalled} naming the position), never as if they were current. Read from the
 * dead-letter table, so every process answers alike, whichever runs the processor.
 */
@Component
public class StalledAccounts {

    /** The event an account's views stopped at: its global position, id and type, and why. */
    public record Stall(String accountId, long position, String eventId, String eventType, String cause) {

        Map<String, Object> members() {
            Map<String, Object> members = new LinkedHashMap<>();
            members.put("accountId", accountId);
            members.put("position", position);
            members.put("eventId", eventId);
            return members;
        }
    }

    /** The most stalled accounts one answer (health details, a list) names. */
    public static final int LISTED_MAX = 100;

    private static final String FIRST_LETTER_PER_ACCOUNT = """
            SELECT DISTINCT ON (d.sequenceIdentifier) d.sequenceIdentifier, coalesce(e.globalIndex, 0),
                   d.eventIdentifier, d.payloadType, d.causeMessage
            FROM axon.dead_letter_entry d
            LEFT JOIN events.domain_event_entry e ON e.eventIdentifier = d.eventIdentifier COLLATE "C"
            WHERE d.processingGroup = ? %s
            ORDER BY d.sequenceIdentifier, d.sequenceIndex""";

    private static final RowMapper<Stall> STALL = (row, index) -> new Stall(row.getString(1), row.getLong(2),
            row.getString(3), simpleName(row.getString(4)), row.getString(5));

    private final JdbcTemplate jdbc;

    public StalledAccounts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Stall> of(String accountId) {
        return jdbc.query(FIRST_LETTER_PER_ACCOUNT.formatted("AND d.sequenceIdentifier = ?"), STALL,
                ProcessingGroups.LEDGER_PROJECTIONS, accountId).stream().findFirst();
    }

    /** Up to {@link #LISTED_MAX} stalled accounts, the earliest stall first. */
    public List<Stall> listed() {
        return jdbc.query("SELECT * FROM (" + FIRST_LETTER_PER_ACCOUNT.formatted("") + ") stalls ORDER BY 2, 1 LIMIT ?",
                STALL, ProcessingGroups.LEDGER_PROJECTIONS, LISTED_MAX);
    }

    public long count() {
        Long count = jdbc.queryForObject("""
                SELECT count(DISTINCT sequenceIdentifier) FROM axon.dead_letter_entry WHERE processingGroup = ?""",
                Long.class, ProcessingGroups.LEDGER_PROJECTIONS);
        return count == null ? 0 : count;
    }

    /** Refuses a read of {@code accountId}'s views while they are stalled. */
    public void requireCurrent(String accountId) {
        Optional<Stall> stall = of(accountId);
        if (stall.isPresent()) {
            Stall stalled = stall.get();
            throw new ProblemException(ErrorCode.ACCOUNT_VIEW_STALLED, "the views of account " + accountId
                    + " stopped at position " + stalled.position() + " (" + stalled.eventType() + " "
                    + stalled.eventId() + "), which they cannot apply; an admin may retry or skip it"
                    + " (/v1/admin/dead-letters)", stalled.members());
        }
    }

    private static String simpleName(String type) {
        return type == null ? null : type.substring(type.lastIndexOf('.') + 1);
    }
}
