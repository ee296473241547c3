package dev.tally.projections.journal;

import static dev.tally.projections.support.Timestamps.toSql;

import dev.tally.ledger.api.journal.Posting;
import dev.tally.ledger.journal.JournalEntries;
import dev.tally.projections.support.ProcessingGroups;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The double-entry journal: the postings of every monetary event, keyed by the event's global
 * position and line, so that a redelivered event writes nothing twice.
 */
@ProcessingGroup(ProcessingGroups.JOURNAL)
public class JournalProjection {

    private final JdbcTemplate jdbc;

    public JournalProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(Object payload, EventMessage<?> message, TrackingToken token) {
        List<Posting> postings = JournalEntries.postingsFor(payload);
        if (postings.isEmpty() || !(message instanceof DomainEventMessage<?> domainEvent)) {
            return;
        }
        long position = token.position().orElseThrow();
        List<Object[]> rows = new ArrayList<>(postings.size());
        for (int line = 0; line < postings.size(); line++) {
            Posting posting = postings.get(line);
            rows.add(new Object[]{position, line, message.getIdentifier(), domainEvent.getAggregateIdentifier(),
                    toSql(message.getTimestamp()), posting.ledgerAccount(), posting.debit().amount(),
                    posting.credit().amount(), posting.description()});
        }
        jdbc.batchUpdate("""
                INSERT INTO projections.journal_posting (position, line, event_id, account_id, recorded_at,
                    ledger_account, debit, credit, description)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (position, line) DO NOTHING""", rows);
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM projections.journal_posting");
    }
}
