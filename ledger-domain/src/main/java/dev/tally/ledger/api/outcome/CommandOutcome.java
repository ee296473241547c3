package dev.tally.ledger.api.outcome;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.util.Objects;

/**
 * How the ledger answered a command. A retry of an identical command is a {@code DUPLICATE},
 * never a silent success, and a rejection carries its stable code; a rejected command applied
 * no event.
 */
// Its is…() helpers are questions, not data: they stay out of the JSON of every message.
@JsonAutoDetect(isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public record CommandOutcome(Status status, ErrorCode code, String detail) {

    public enum Status { ACCEPTED, DUPLICATE, REJECTED }

    public CommandOutcome {
        Objects.requireNonNull(status, "status");
        if ((status == Status.REJECTED) != (code != null)) {
            throw new IllegalArgumentException("a rejection, and only a rejection, carries a code");
        }
    }

    public static CommandOutcome accepted() {
        return new CommandOutcome(Status.ACCEPTED, null, null);
    }

    public static CommandOutcome duplicate() {
        return new CommandOutcome(Status.DUPLICATE, null, null);
    }

    public static CommandOutcome rejected(ErrorCode code, String detail) {
        return new CommandOutcome(Status.REJECTED, code, detail);
    }

    public boolean isRejected() {
        return status == Status.REJECTED;
    }
}
