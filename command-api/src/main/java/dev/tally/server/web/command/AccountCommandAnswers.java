package dev.tally.server.web.command;

import dev.tally.ledger.api.outcome.CommandOutcome;
import dev.tally.server.web.position.LedgerPositions;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * The answer to a command on an account (grant, void, charge, payment, refund): which resource,
 * whether it was accepted or a duplicate of an earlier identical request, and the
 * {@code Ledger-Position} to read it back with.
 */
@Component
public class AccountCommandAnswers {

    /** {@code status} is {@code accepted} or {@code duplicate}. */
    public record CommandAnswer(String accountId, String id, String status) {
    }

    private final LedgerPositions positions;

    public AccountCommandAnswers(LedgerPositions positions) {
        this.positions = positions;
    }

    public ResponseEntity<CommandAnswer> answer(String accountId, String id, CommandOutcome outcome, HttpStatus status) {
        return ResponseEntity.status(status)
                .header(LedgerPositions.HEADER, Long.toString(positions.latestPositionOf(List.of(accountId))))
                .body(new CommandAnswer(accountId, id, outcome.status().name().toLowerCase(Locale.ROOT)));
    }
}
