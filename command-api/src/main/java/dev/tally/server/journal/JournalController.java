package dev.tally.server.journal;

import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.projections.balance.AccountView;
import dev.tally.projections.balance.BalanceQueries;
import dev.tally.projections.journal.JournalLine;
import dev.tally.projections.journal.JournalQueries;
import dev.tally.server.web.auth.Caller;
import dev.tally.server.web.auth.Role;
import dev.tally.server.web.error.ProblemException;
import dev.tally.server.web.json.Amounts;
import dev.tally.server.web.json.Page;
import dev.tally.server.web.json.PageRequest;
import dev.tally.server.web.position.LedgerPositions;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import dev.tally.server.web.openapi.Refusals;

/** {@code GET /v1/accounts/{id}/journal}: an account's postings in ledger order. */
@ConditionalOnTallyRole(TallyRole.API)
@RestController
@Tag(name = "journal", description = "Double-entry postings")
class JournalController {

    record JournalItem(long position, String eventId, Instant recordedAt, String ledgerAccount, String debit,
                       String credit, String description) {
    }

    private final JournalQueries journal;
    private final BalanceQueries balances;
    private final LedgerPositions positions;

    JournalController(JournalQueries journal, BalanceQueries balances, LedgerPositions positions) {
        this.journal = journal;
        this.balances = balances;
        this.positions = positions;
    }

    @GetMapping("/v1/accounts/{accountId}/journal")
    @Operation(operationId = "listJournal", summary = "An account's postings in ledger order",
            description = "Roles: admin, finance, auditor.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.UNKNOWN_ACCOUNT})
    Page<JournalItem> postings(@PathVariable String accountId, @RequestParam(required = false) Integer limit,
                               @RequestParam(required = false) String cursor,
                               @RequestParam(required = false) Long minPosition, Caller caller) {
        caller.require(Role.ADMIN, Role.FINANCE, Role.AUDITOR);
        PageRequest page = PageRequest.of(limit, cursor);
        positions.awaitAccount(accountId, minPosition);
        AccountView account = balances.account(accountId)
                .orElseThrow(() -> new ProblemException(ErrorCode.UNKNOWN_ACCOUNT, "no account " + accountId));
        long afterSequence = -1;
        int afterLine = -1;
        if (page.cursor() != null) {
            String[] parts = page.cursor().split(":");
            try {
                afterSequence = Long.parseLong(parts[0]);
                afterLine = Integer.parseInt(parts[1]);
            } catch (RuntimeException invalid) {
                throw new ProblemException(ErrorCode.MALFORMED_REQUEST, "cursor is not one this API gave out");
            }
        }
        List<JournalLine> lines = journal.postings(accountId, afterSequence, afterLine, page.limit() + 1);
        boolean more = lines.size() > page.limit();
        List<JournalLine> shown = more ? lines.subList(0, page.limit()) : lines;
        JournalLine last = shown.isEmpty() ? null : shown.get(shown.size() - 1);
        String currency = account.currency();
        return new Page<>(shown.stream().map(line -> new JournalItem(line.position(), line.eventId(), line.recordedAt(),
                line.ledgerAccount(), Amounts.plainOrZero(line.debit(), currency), Amounts.plainOrZero(line.credit(), currency),
                line.description())).toList(),
                more ? PageRequest.encode(last.sequence() + ":" + last.line()) : null);
    }
}
