package dev.tally.server.web.error;

import dev.tally.ledger.api.outcome.ErrorCode;

/** A request the ledger refuses, answered as problem+json with the code's HTTP status. */
public class ProblemException extends RuntimeException {

    private final ErrorCode code;

    public ProblemException(ErrorCode code, String detail) {
        super(detail);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
