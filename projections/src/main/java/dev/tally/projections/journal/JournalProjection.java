package dev.tally.projections.journal;

import static dev.tally.projections.support.Timestamps.toSql;

import dev.tally.ledger.api.journal.Posting;
import dev.tally.ledger.journal.JournalEntries;
import dev.tally.projections.support.BatchScope;
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
 * position and line, so that a redelivered event writes nothing twice. A processor batch is
 * written as one JDBC batch.
 */
@ProcessingGroup(ProcessingGroups.LEDGER_PROJECTIONS)
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
        List<Object[]> rows = BatchScope.current("journal", ArrayList<Object[]>::new, this::write);
        long position = token.position().orElseThrow();
        for (int line = 0; line < postings.size(); line++) {
            Posting posting = postings.get(line);
            rows.add(new Object[]{position, line, message.getIdentifier(), domainEvent.getAggregateIdentifier(),
                    toSql(message.getTimestamp()), posting.ledgerAccount(), posting.debit().amount(),
                    posting.credit().amount(), posting.description()});
        }
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM projections.journal_posting");
    }

    private void write(List<Object[]> rows) {
        jdbc.batchUpdate("""
                INSERT INTO projections.journal_posting (position, line, event_id, account_id, recorded_at,
                    ledger_account, debit, credit, description)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, position, line) DO NOTHING""", rows);
    }
}
