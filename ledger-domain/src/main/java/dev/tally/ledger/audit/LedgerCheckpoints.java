package dev.tally.ledger.audit;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.tally.ledger.LedgerSettings;
import dev.tally.ledger.api.audit.CheckpointRecorded;
import dev.tally.ledger.api.audit.CheckpointStreams;
import dev.tally.ledger.api.audit.RecordCheckpoint;
import dev.tally.ledger.api.outcome.CommandOutcome;
import dev.tally.ledger.api.outcome.ErrorCode;
import java.util.regex.Pattern;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

/**
 * The ledger's checkpoints, one stream of them. Each covers a later position than the one
 * before, so the stream reads as a history an auditor can walk.
 */
public class LedgerCheckpoints {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    @AggregateIdentifier
    private String streamId;
    private long lastPosition = -1;

    protected LedgerCheckpoints() {
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public CommandOutcome handle(RecordCheckpoint command, LedgerSettings settings) {
        if (command.digest() == null || !SHA256_HEX.matcher(command.digest()).matches()) {
            return CommandOutcome.rejected(ErrorCode.INVALID_FIELD, "digest must be 64 lowercase hex digits");
        }
        if (command.position() < 0 || command.streams() < 0) {
            return CommandOutcome.rejected(ErrorCode.INVALID_FIELD, "position and streams cannot be negative");
        }
        if (command.position() <= lastPosition) {
            return CommandOutcome.rejected(ErrorCode.CHECKPOINT_NOT_NEWER,
                    "a checkpoint at position " + lastPosition + " exists already");
        }
        apply(new CheckpointRecorded(command.position(), command.streams(), command.digest(),
                settings.clock().instant()));
        return CommandOutcome.accepted();
    }

    @EventSourcingHandler
    void on(CheckpointRecorded event) {
        streamId = CheckpointStreams.ID;
        lastPosition = event.position();
    }
}
