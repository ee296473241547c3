package dev.tally.server.account;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import dev.tally.ledger.api.account.AccountOpened;
import dev.tally.ledger.api.account.OpenAccount;
import org.axonframework.eventsourcing.eventstore.EventStore;
import dev.tally.ledger.api.money.CurrencyUnits;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.projections.balance.AccountView;
import dev.tally.projections.balance.BalanceQueries;
import dev.tally.projections.support.ProcessingGroups;
import dev.tally.server.web.auth.Caller;
import dev.tally.server.web.auth.Role;
import dev.tally.server.web.command.LedgerCommands;
import dev.tally.server.web.error.ProblemException;
import dev.tally.server.web.json.Amounts;
import dev.tally.server.web.json.RequestFields;
import dev.tally.server.web.position.LedgerPositions;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import dev.tally.server.web.openapi.Refusals;

/** {@code POST /v1/accounts} opens an account; {@code GET /v1/accounts/{id}} reads it. */
@ConditionalOnTallyRole(TallyRole.API)
@RestController
@Tag(name = "accounts", description = "Customer accounts")
class AccountController {

    /** {@code paymentTermsDays}: 0 to 365, default 30; an invoice falls due that many days after issue. */
    @Schema(name = "OpenAccountRequest")
    record OpenAccountBody(@Schema(requiredMode = REQUIRED) String accountId, String name,
                           @Schema(requiredMode = REQUIRED) String currency,
                           @Schema(requiredMode = REQUIRED) String planId, Integer billingAnchorDay,
                           String billingStart, String lowBalanceThreshold, String email, Integer paymentTermsDays) {
    }

    record ExternalIds(String orb, String stripe) {
    }

    @Schema(name = "Account")
    record AccountBody(String accountId, String name, String currency, String planId, int billingAnchorDay,
                       Instant billingStart, String lowBalanceThreshold, String email, int paymentTermsDays,
                       Instant openedAt, ExternalIds externalIds) {
    }

    private final LedgerCommands commands;
    private final BalanceQueries balances;
    private final LedgerPositions positions;
    private final EventStore eventStore;

    AccountController(LedgerCommands commands, BalanceQueries balances, LedgerPositions positions,
                      EventStore eventStore) {
        this.commands = commands;
        this.balances = balances;
        this.positions = positions;
        this.eventStore = eventStore;
    }

    @PostMapping("/v1/accounts")
    @Operation(operationId = "openAccount", summary = "Open an account on a plan",
            description = "Roles: admin, finance.")
    @ApiResponse(responseCode = "201", description = "The account opened", useReturnTypeSchema = true)
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.MISSING_FIELD, ErrorCode.INVALID_FIELD, ErrorCode.UNSUPPORTED_CURRENCY,
            ErrorCode.INVALID_AMOUNT, ErrorCode.INVALID_TIMESTAMP, ErrorCode.UNKNOWN_PLAN, ErrorCode.CURRENCY_MISMATCH,
            ErrorCode.INVALID_BILLING_ANCHOR, ErrorCode.ALREADY_EXISTS})
    ResponseEntity<AccountBody> open(@RequestBody OpenAccountBody body, Caller caller) {
        caller.require(Role.ADMIN, Role.FINANCE);
        String accountId = RequestFields.identifier(body.accountId(), "accountId");
        String planId = RequestFields.identifier(body.planId(), "planId");
        if (body.currency() == null) {
            throw new ProblemException(ErrorCode.MISSING_FIELD, "currency is required");
        }
        if (!CurrencyUnits.isKnown(body.currency())) {
            throw new ProblemException(ErrorCode.UNSUPPORTED_CURRENCY, "currency must be an ISO-4217 code");
        }
        BigDecimal threshold = RequestFields.optionalDecimal(body.lowBalanceThreshold(), "lowBalanceThreshold");
        OpenAccount command = new OpenAccount(accountId, RequestFields.optionalText(body.name(), "name"), body.currency(),
                planId, body.billingAnchorDay(), RequestFields.optionalInstant(body.billingStart(), "billingStart"),
                threshold == null ? null : AccountCurrencies.amount(body.currency(), threshold, "lowBalanceThreshold"),
                RequestFields.optionalText(body.email(), "email"), body.paymentTermsDays());
        commands.send(command);
        long position = positions.latestPositionOf(List.of(accountId));
        awaitReadable(position);
        // Answered from the committed opening event itself, so that a slow projection can never
        // turn a committed account into an error answer.
        AccountOpened opened = (AccountOpened) eventStore.readEvents(accountId, 0).next().getPayload();
        return ResponseEntity.status(HttpStatus.CREATED)
                .header(LedgerPositions.HEADER, Long.toString(position))
                .header("Location", "/v1/accounts/" + accountId)
                .body(new AccountBody(opened.accountId(), opened.name(), opened.currency(), opened.planId(),
                        opened.billingAnchorDay(), opened.billingStart(),
                        Amounts.format(opened.lowBalanceThreshold()), opened.email(), opened.paymentTermsDays(),
                        opened.openedAt(), new ExternalIds(null, null)));
    }

    /**
     * A new account is usually readable by the time it is acknowledged: the answer waits for the
     * projection, but only as a courtesy; past the wait the committed account is answered anyway.
     */
    private void awaitReadable(long position) {
        try {
            positions.await(ProcessingGroups.LEDGER_PROJECTIONS, position);
        } catch (ProblemException notYet) {
            if (notYet.code() != ErrorCode.POSITION_NOT_REACHED) {
                throw notYet;
            }
        }
    }

    @GetMapping("/v1/accounts/{accountId}")
    @Operation(operationId = "getAccount", summary = "An account, its plan and external ids",
            description = "Roles: any; a client key only for its own accounts.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.UNKNOWN_ACCOUNT})
    AccountBody get(@PathVariable String accountId, @RequestParam(required = false) Long minPosition, Caller caller) {
        caller.requireAccount(accountId);
        positions.awaitAccount(accountId, minPosition);
        return balances.account(accountId).map(AccountController::view)
                .orElseThrow(() -> new ProblemException(ErrorCode.UNKNOWN_ACCOUNT, "no account " + accountId));
    }

    private static AccountBody view(AccountView account) {
        return new AccountBody(account.accountId(), account.name(), account.currency(), account.planId(),
                account.billingAnchorDay(), account.billingStart(),
                Amounts.format(account.lowBalanceThreshold(), account.currency()), account.email(),
                account.paymentTermsDays(), account.openedAt(),
                new ExternalIds(account.orbCustomerId(), account.stripeCustomerId()));
    }
}
