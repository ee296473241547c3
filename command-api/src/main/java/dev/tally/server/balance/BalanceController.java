package dev.tally.server.balance;

import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.projections.balance.BalanceQueries;
import dev.tally.projections.balance.BalanceView;
import dev.tally.projections.balance.GrantView;
import dev.tally.server.web.auth.Caller;
import dev.tally.server.web.error.ProblemException;
import dev.tally.server.web.json.Amounts;
import dev.tally.server.web.json.RequestFields;
import dev.tally.server.web.position.LedgerPositions;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.media.Schema;
import dev.tally.server.web.openapi.Refusals;

/** {@code GET /v1/accounts/{id}/balance}: the real-time balance figures of spec section 8. */
@ConditionalOnTallyRole(TallyRole.API)
@RestController
@Tag(name = "balance", description = "An account's balance, now or as of an instant")
class BalanceController {

    @Schema(name = "BalanceGrant")
    record GrantBody(String grantId, String kind, String amount, String remaining, Instant effectiveAt,
                     Instant expiresAt, int priority, String description, String status) {
    }

    @Schema(name = "Balance")
    record BalanceBody(String accountId, String currency, String creditBalance, String unbilled,
                       String invoicedOutstanding, String unappliedCash, String amountDue, List<GrantBody> grants,
                       long position) {
    }

    private final BalanceQueries balances;
    private final BalanceAsOf history;
    private final LedgerPositions positions;

    BalanceController(BalanceQueries balances, BalanceAsOf history, LedgerPositions positions) {
        this.balances = balances;
        this.history = history;
        this.positions = positions;
    }

    @GetMapping("/v1/accounts/{accountId}/balance")
    @Operation(operationId = "getBalance", summary = "An account's balance; with asOf, replayed up to that instant",
            description = "Roles: any; a client key only for its own accounts.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.UNKNOWN_ACCOUNT, ErrorCode.INVALID_FIELD, ErrorCode.INVALID_TIMESTAMP})
    BalanceBody balance(@PathVariable String accountId, @RequestParam(required = false) Long minPosition,
                        @RequestParam(required = false) String asOf, Caller caller) {
        caller.requireAccount(accountId);
        Instant asOfInstant = RequestFields.optionalInstant(asOf, "asOf");
        java.util.Optional<BalanceView> balance;
        if (asOfInstant != null) {
            positions.awaitEventStore(minPosition);
            balance = history.balance(accountId, asOfInstant);
        } else {
            positions.awaitAccount(accountId, minPosition);
            balance = balances.balance(accountId);
        }
        return view(balance.orElseThrow(() -> new ProblemException(ErrorCode.UNKNOWN_ACCOUNT, "no account " + accountId)));
    }

    static BalanceBody view(BalanceView balance) {
        String currency = balance.currency();
        return new BalanceBody(balance.accountId(), currency, Amounts.format(balance.creditBalance(), currency),
                Amounts.format(balance.unbilled(), currency), Amounts.format(balance.invoicedOutstanding(), currency),
                Amounts.format(balance.unappliedCash(), currency), Amounts.format(balance.amountDue(), currency),
                balance.grants().stream().map(grant -> grant(grant, currency)).toList(), balance.position());
    }

    private static GrantBody grant(GrantView grant, String currency) {
        return new GrantBody(grant.grantId(), grant.kind(), Amounts.format(grant.amount(), currency),
                Amounts.format(grant.remaining(), currency), grant.effectiveAt(), grant.expiresAt(), grant.priority(),
                grant.description(), grant.status());
    }
}
