package dev.tally.projections.journal;

import dev.tally.ledger.api.journal.Posting;
import dev.tally.ledger.journal.JournalEntries;
import dev.tally.projections.support.AccountProgress;
import dev.tally.projections.support.BatchScope;
import dev.tally.projections.support.ProcessingGroups;
import dev.tally.projections.support.ProjectionSchema;
import dev.tally.projections.support.UnprojectableEvents;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The double-entry journal: the postings of every monetary event, keyed by the event's place in
 * its account's stream (exact, unlike a tracking token's position). A processor
 * batch is bulk-loaded with one COPY (the journal holds two or three rows per usage event, its
 * largest write); {@code journal_progress} holds the per-account redelivery guard.
 */
@ProcessingGroup(ProcessingGroups.LEDGER_PROJECTIONS)
public class JournalProjection {

    private record Entry(String accountId, long sequence, EventMessage<?> message, List<Posting> postings) {
    }

    private final JdbcTemplate jdbc;
    private final ProjectionSchema schema;
    private final UnprojectableEvents unprojectable;
    private final BatchScope<Entry> batch;

    public JournalProjection(JdbcTemplate jdbc, ProjectionSchema schema, UnprojectableEvents unprojectable) {
        this.jdbc = jdbc;
        this.schema = schema;
        this.unprojectable = unprojectable;
        this.batch = new BatchScope<>("journal", jdbc, unprojectable, this::write);
    }

    @EventHandler
    void on(Object payload, EventMessage<?> message) {
        if (!unprojectable.admitsCurrentEvent()) {
            return;
        }
        List<Posting> postings = JournalEntries.postingsFor(payload);
        if (postings.isEmpty() || !(message instanceof DomainEventMessage<?> domainEvent)) {
            return;
        }
        batch.add(new Entry(domainEvent.getAggregateIdentifier(), domainEvent.getSequenceNumber(), message, postings));
    }

    @ResetHandler
    void reset() {
        jdbc.update(schema.sql("DELETE FROM %1$s.journal_posting"));
        jdbc.update(schema.sql("DELETE FROM %1$s.journal_progress"));
    }

    private void write(List<Entry> entries) {
        Set<String> accounts = new LinkedHashSet<>();
        entries.forEach(entry -> accounts.add(entry.accountId()));
        AccountProgress progress = AccountProgress.load(jdbc, schema.table("journal_progress"), accounts);
        StringBuilder csv = new StringBuilder(entries.size() * 256);
        Map<String, Long> lastSequences = new LinkedHashMap<>();
        for (Entry entry : entries) {
            if (!progress.advance(entry.accountId(), entry.sequence())) {
                continue;
            }
            lastSequences.put(entry.accountId(), entry.sequence());
            for (int line = 0; line < entry.postings().size(); line++) {
                Posting posting = entry.postings().get(line);
                PostingCsv.row(csv, entry.sequence(), line, entry.message().getIdentifier(), entry.accountId(),
                        entry.message().getTimestamp(), posting);
            }
        }
        if (lastSequences.isEmpty()) {
            return;
        }
        jdbc.execute((org.springframework.jdbc.core.ConnectionCallback<Long>) connection -> {
            try {
                return connection.unwrap(PGConnection.class).getCopyAPI().copyIn(schema.sql("""
                        COPY %1$s.journal_posting (sequence, line, event_id, account_id, recorded_at,
                            ledger_account, debit, credit, description) FROM STDIN WITH (FORMAT csv)"""),
                        new StringReader(csv.toString()));
            } catch (IOException unexpected) {
                throw new java.sql.SQLException("copying journal postings failed", unexpected);
            }
        });
        List<Object[]> progressRows = new ArrayList<>();
        lastSequences.forEach((accountId, sequence) -> progressRows.add(new Object[]{accountId, sequence}));
        jdbc.batchUpdate(schema.sql("""
                INSERT INTO %1$s.journal_progress (account_id, last_sequence) VALUES (?, ?)
                ON CONFLICT (account_id) DO UPDATE SET last_sequence = EXCLUDED.last_sequence"""), progressRows);
    }
}
