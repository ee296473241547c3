package dev.tally.server.audit;

import dev.tally.ledger.api.audit.CheckpointStreams;
import dev.tally.ledger.api.audit.RecordCheckpoint;
import dev.tally.ledger.api.outcome.CommandOutcome;
import dev.tally.ledger.audit.CheckpointDigest;
import dev.tally.ledger.audit.StreamHead;
import dev.tally.server.web.request.CommandOrigin;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes checkpoints: the digest of every stream head at a position below which all events are
 * committed, recorded as an event of the checkpoint stream. Heads are brought up to date from the
 * events appended since the last checkpoint only. Servers may race: an advisory lock lets one
 * compute at a time and the checkpoint stream refuses a position that is not newer.
 */
@Component
public class Checkpointer {

    /** The advisory lock of checkpointing: any constant the ledger uses for nothing else. */
    static final long CHECKPOINT_LOCK = 0x7461_6c6c_7963_6b70L;

    private static final CommandOrigin ORIGIN = CommandOrigin.system("checkpointer");
    private static final Logger log = LoggerFactory.getLogger(Checkpointer.class);

    private record Computed(long position, long streams, String digest) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final CommandGateway commands;

    Checkpointer(JdbcTemplate jdbc, TransactionTemplate transactions, CommandGateway commands) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.commands = commands;
    }

    /**
     * Takes a checkpoint if any event other than a checkpoint was appended since the last one, and
     * answers the latest checkpoint either way (empty for a ledger with no events).
     */
    public Optional<Checkpoint> checkpoint() {
        Long settled = transactions.execute(status -> jdbc.queryForObject("SELECT events.settled_position()", Long.class));
        Optional<Computed> computed = transactions.execute(status -> compute(settled));
        if (computed.isPresent()) {
            Computed checkpoint = computed.get();
            CommandOutcome outcome = commands.sendAndWait(ORIGIN.stamp(
                    new RecordCheckpoint(checkpoint.position(), checkpoint.streams(), checkpoint.digest())));
            if (outcome.isRejected()) {
                log.info("checkpoint at position {} not recorded: {}", checkpoint.position(), outcome.detail());
            } else {
                log.info("checkpoint at position {} over {} streams: {}", checkpoint.position(), checkpoint.streams(),
                        checkpoint.digest());
            }
        }
        return latest();
    }

    /** The latest checkpoint recorded in the ledger. */
    public Optional<Checkpoint> latest() {
        List<Checkpoint> found = jdbc.query("""
                SELECT (payload ->> 'position')::bigint, (payload ->> 'streams')::bigint, payload ->> 'digest',
                       payload ->> 'recordedAt'
                FROM events.domain_event_entry WHERE aggregateIdentifier = ?
                ORDER BY sequenceNumber DESC LIMIT 1""",
                (row, index) -> new Checkpoint(Checkpoint.FORMAT, row.getLong(1), row.getLong(2), row.getString(3),
                        Instant.parse(row.getString(4))),
                CheckpointStreams.ID);
        return found.stream().findFirst();
    }

    private Optional<Computed> compute(long settled) {
        Boolean locked = jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(?)", Boolean.class, CHECKPOINT_LOCK);
        if (!Boolean.TRUE.equals(locked)) {
            return Optional.empty();
        }
        long previous = jdbc.queryForObject("SELECT position FROM events.stream_head_progress FOR UPDATE", Long.class);
        if (settled <= previous) {
            return Optional.empty();
        }
        jdbc.update("""
                INSERT INTO events.stream_head (aggregateIdentifier, sequenceNumber, hash, globalIndex)
                SELECT DISTINCT ON (aggregateIdentifier) aggregateIdentifier, sequenceNumber, hash, globalIndex
                FROM events.domain_event_entry WHERE globalIndex > ? AND globalIndex <= ?
                ORDER BY aggregateIdentifier, sequenceNumber DESC
                ON CONFLICT (aggregateIdentifier) DO UPDATE
                    SET sequenceNumber = EXCLUDED.sequenceNumber, hash = EXCLUDED.hash, globalIndex = EXCLUDED.globalIndex
                    WHERE EXCLUDED.sequenceNumber > events.stream_head.sequenceNumber""", previous, settled);
        jdbc.update("UPDATE events.stream_head_progress SET position = ?", settled);
        boolean anythingNew = Boolean.TRUE.equals(jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM events.domain_event_entry
                               WHERE globalIndex > ? AND globalIndex <= ? AND aggregateIdentifier <> ?)""",
                Boolean.class, previous, settled, CheckpointStreams.ID));
        if (!anythingNew) {
            return Optional.empty();
        }
        CheckpointDigest digest = new CheckpointDigest(settled);
        jdbc.query("""
                SELECT aggregateIdentifier, sequenceNumber, hash FROM events.stream_head
                ORDER BY aggregateIdentifier COLLATE "C"
                """, row -> {
            digest.add(new StreamHead(row.getString(1), row.getLong(2), row.getBytes(3)));
        });
        return Optional.of(new Computed(settled, digest.streams(), digest.finish()));
    }
}
