package dev.tally.server.web.command;

import dev.tally.ledger.api.outcome.CommandOutcome;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.server.web.error.ProblemException;
import dev.tally.server.web.request.CommandOrigin;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.stereotype.Component;

/**
 * Sends commands and turns their outcomes into answers. A write that lost a race for the
 * aggregate's next sequence number (another server appended first) is retried on fresh state.
 */
@Component
public class LedgerCommands {

    public static final int MAX_CONCURRENCY_RETRIES = 5;

    private final CommandGateway gateway;

    public LedgerCommands(CommandGateway gateway) {
        this.gateway = gateway;
    }

    /** Sends {@code command}; a rejection becomes a {@link ProblemException} with its code. */
    public CommandOutcome send(Object command) {
        CommandOutcome outcome = sendForResult(command, CommandOrigin.current());
        if (outcome.isRejected()) {
            throw new ProblemException(outcome.code(), outcome.detail());
        }
        return outcome;
    }

    /** Sends {@code command} for the current request and returns its result. */
    public <R> R sendForResult(Object command) {
        return sendForResult(command, CommandOrigin.current());
    }

    /**
     * Sends {@code command} on behalf of {@code origin} (for work handed to another thread) and
     * returns its result; an unknown aggregate is a 404 unknown_account.
     */
    @SuppressWarnings("unchecked")
    public <R> R sendForResult(Object command, CommandOrigin origin) {
        for (int attempt = 1; ; attempt++) {
            try {
                return (R) gateway.sendAndWait(origin.stamp(command));
            } catch (AggregateNotFoundException missing) {
                throw new ProblemException(ErrorCode.UNKNOWN_ACCOUNT, "no account " + missing.getAggregateIdentifier());
            } catch (ConcurrencyException raced) {
                if (attempt >= MAX_CONCURRENCY_RETRIES) {
                    throw raced;
                }
            }
        }
    }
}
