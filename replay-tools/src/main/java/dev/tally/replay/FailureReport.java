package dev.tally.replay;

import java.sql.SQLException;
import picocli.CommandLine;

/**
 * Turns an exception thrown by a command into one line on stderr and exit status 2. The stack trace
 * is shown only for failures that are not the user's to fix (a bug, an unexpected database error).
 */
final class FailureReport implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception failure, CommandLine commandLine, CommandLine.ParseResult parsed) {
        var err = commandLine.getErr();
        if (failure instanceof ToolFailure known) {
            err.println("error: " + known.getMessage());
        } else if (failure instanceof SQLException database) {
            err.println("error: database: " + database.getMessage());
        } else {
            err.println("error: " + failure);
            failure.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.USAGE_OR_CONNECTION;
    }
}
