package dev.tally.replay;

/** A failure the user can act on (unknown account, unreachable database); reported in one line, exit 2. */
public class ToolFailure extends RuntimeException {

    public ToolFailure(String message) {
        super(message);
    }

    public ToolFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
