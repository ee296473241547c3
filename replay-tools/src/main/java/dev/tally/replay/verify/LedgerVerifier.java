package dev.tally.replay.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.ledger.api.audit.CheckpointStreams;
import dev.tally.replay.events.EventPayloads;
import dev.tally.replay.events.EventTable;
import dev.tally.replay.events.StoredEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * One pass over every event in global order, through a read-only cursor, checking the chain, the
 * checkpoints (and an auditor's digest file) and the journal as it goes. Memory holds one entry
 * per stream and per account, never the history.
 */
public final class LedgerVerifier {

    /** What a run found; {@code findings} keeps the first {@value Findings#KEPT} in ledger order. */
    public record Report(long events, long head, int streams, int accounts, int digestsVerified, long findingCount,
                         List<Finding> findings) {

        public boolean clean() {
            return findingCount == 0;
        }
    }

    private final EventPayloads payloads = new EventPayloads();

    public Report verify(Connection connection, ExpectedDigest digestFile, LongConsumer progress) throws SQLException {
        EventTable table = EventTable.inspect(connection);
        long head = table.headPosition(connection);
        List<ExpectedDigest> expected = recordedCheckpoints(connection);
        if (digestFile != null) {
            expected.add(digestFile);
        }
        Findings findings = new Findings();
        ChainCheck chain = new ChainCheck();
        CheckpointCheck checkpoints = new CheckpointCheck(expected);
        JournalCheck journal = new JournalCheck();
        Findings journalFindings = new Findings();
        long events = 0;
        // The chain (with the checkpoints) and the journal are independent: the journal, which decodes every
        // payload, runs on its own thread, a few batches behind.
        ExecutorService journalThread = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "verify-journal"));
        Future<?> journalDone = CompletableFuture.completedFuture(null);
        try (EventBatches batches = new EventBatches(connection, table, head)) {
            for (List<StoredEvent> batch = batches.next(); !batch.isEmpty(); batch = batches.next()) {
                for (StoredEvent event : batch) {
                    checkpoints.before(event.position(), chain, findings);
                    chain.check(event, findings);
                }
                journalDone.get();
                List<StoredEvent> checked = batch;
                journalDone = journalThread.submit(() -> {
                    for (StoredEvent event : checked) {
                        journal.check(event, payload(event, journalFindings), journalFindings);
                    }
                });
                events += batch.size();
                progress.accept(batch.get(batch.size() - 1).position());
            }
            journalDone.get();
        } catch (ExecutionException failed) {
            throw new IllegalStateException("the journal check failed", failed.getCause());
        } catch (Exception failed) {
            if (failed instanceof SQLException database) {
                throw database;
            }
            throw new IllegalStateException(failed);
        } finally {
            journalThread.shutdownNow();
        }
        checkpoints.finish(chain, findings);
        journal.finish(journalFindings);
        Findings all = Findings.merged(findings, journalFindings);
        return new Report(events, head, chain.streamCount(), journal.accounts(), checkpoints.verified(),
                all.count(), all.kept());
    }

    private Object payload(StoredEvent event, Findings findings) {
        try {
            return payloads.payload(event);
        } catch (RuntimeException unreadable) {
            findings.add(new Finding("payload", event.position(), event.aggregate(), event.sequence(),
                    "the payload cannot be read as " + event.payloadType() + ": " + unreadable.getMessage()));
            return null;
        }
    }

    private List<ExpectedDigest> recordedCheckpoints(Connection connection) throws SQLException {
        List<ExpectedDigest> checkpoints = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT sequenceNumber, payload::text FROM events.domain_event_entry
                WHERE aggregateIdentifier = ? ORDER BY sequenceNumber""")) {
            statement.setString(1, CheckpointStreams.ID);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    long sequence = rows.getLong(1);
                    JsonNode checkpoint = payloads.tree(rows.getString(2));
                    checkpoints.add(new ExpectedDigest(checkpoint.path("position").asLong(),
                            checkpoint.path("streams").asLong(), checkpoint.path("digest").asText(),
                            "checkpoint " + sequence + " of " + CheckpointStreams.ID, CheckpointStreams.ID, sequence));
                }
            }
        }
        return checkpoints;
    }
}
