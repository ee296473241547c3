package dev.tally.server.web.error;

import dev.tally.ledger.api.outcome.ErrorCode;
import java.util.Map;

/** A request the ledger refuses, answered as problem+json with the code's HTTP status. */
public class ProblemException extends RuntimeException {

    private final ErrorCode code;
    private final Map<String, Object> members;

    public ProblemException(ErrorCode code, String detail) {
        this(code, detail, Map.of());
    }

    /** A refusal whose problem carries {@code members} beside {@code code} and {@code detail}. */
    public ProblemException(ErrorCode code, String detail, Map<String, Object> members) {
        super(detail);
        this.code = code;
        this.members = Map.copyOf(members);
    }

    public Map<String, Object> members() {
        return members;
    }

    public ErrorCode code() {
        return code;
    }
}
