package dev.tally.server.credit;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import dev.tally.ledger.api.credit.CreditKind;
import dev.tally.ledger.api.credit.GrantCredit;
import dev.tally.ledger.api.credit.VoidCredit;
import dev.tally.ledger.api.outcome.CommandOutcome;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.server.account.AccountCurrencies;
import dev.tally.server.web.auth.Caller;
import dev.tally.server.web.auth.Role;
import dev.tally.server.web.command.AccountCommandAnswers;
import dev.tally.server.web.command.AccountCommandAnswers.CommandAnswer;
import dev.tally.server.web.command.LedgerCommands;
import dev.tally.server.web.error.ProblemException;
import dev.tally.server.web.json.RequestFields;
import java.math.BigDecimal;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import dev.tally.server.web.openapi.Refusals;

/** Credit grants: {@code POST /v1/accounts/{id}/credits} and {@code .../credits/{grantId}/void}. */
@ConditionalOnTallyRole(TallyRole.API)
@RestController
@Tag(name = "credits", description = "Credit grants")
class CreditController {

    /** {@code kind} is prepaid or promotional; {@code currency}, when given, must be the account's. */
    @Schema(name = "GrantCreditRequest")
    record GrantBody(@Schema(requiredMode = REQUIRED) String grantId, @Schema(requiredMode = REQUIRED) String amount,
                     String currency, @Schema(requiredMode = REQUIRED) String kind, String effectiveAt,
                     String expiresAt, Integer priority, String description) {
    }

    @Schema(name = "VoidGrantRequest")
    record VoidBody(String reason) {
    }

    private final LedgerCommands commands;
    private final AccountCommandAnswers answers;
    private final AccountCurrencies currencies;

    CreditController(LedgerCommands commands, AccountCommandAnswers answers, AccountCurrencies currencies) {
        this.commands = commands;
        this.answers = answers;
        this.currencies = currencies;
    }

    @PostMapping("/v1/accounts/{accountId}/credits")
    @Operation(operationId = "grantCredit", summary = "Grant credit to an account",
            description = "Roles: admin, finance.")
    @ApiResponse(responseCode = "201", description = "The grant, accepted or a duplicate of an identical one",
            useReturnTypeSchema = true)
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.UNKNOWN_ACCOUNT, ErrorCode.MISSING_FIELD, ErrorCode.INVALID_FIELD,
            ErrorCode.INVALID_AMOUNT, ErrorCode.CURRENCY_MISMATCH, ErrorCode.INVALID_TIMESTAMP,
            ErrorCode.INVALID_GRANT_WINDOW, ErrorCode.ALREADY_EXISTS})
    ResponseEntity<CommandAnswer> grant(@PathVariable String accountId, @RequestBody GrantBody body, Caller caller) {
        caller.require(Role.ADMIN, Role.FINANCE);
        String grantId = RequestFields.identifier(body.grantId(), "grantId");
        BigDecimal amount = RequestFields.requiredDecimal(body.amount(), "amount");
        CreditKind kind = body.kind() == null ? null : CreditKind.fromWireName(body.kind());
        if (kind == null) {
            throw new ProblemException(body.kind() == null ? ErrorCode.MISSING_FIELD : ErrorCode.INVALID_FIELD,
                    "kind is prepaid or promotional");
        }
        CommandOutcome outcome = commands.send(new GrantCredit(accountId, grantId,
                currencies.money(accountId, amount, body.currency()), kind,
                RequestFields.optionalInstant(body.effectiveAt(), "effectiveAt"),
                RequestFields.optionalInstant(body.expiresAt(), "expiresAt"), body.priority(),
                RequestFields.optionalDescription(body.description(), "description")));
        return answers.answer(accountId, grantId, outcome, HttpStatus.CREATED);
    }

    @PostMapping("/v1/accounts/{accountId}/credits/{grantId}/void")
    @Operation(operationId = "voidCredit", summary = "Void a credit grant", description = "Roles: admin, finance.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.UNKNOWN_ACCOUNT, ErrorCode.INVALID_FIELD, ErrorCode.UNKNOWN_GRANT,
            ErrorCode.GRANT_NOT_ACTIVE})
    ResponseEntity<CommandAnswer> voidGrant(@PathVariable String accountId, @PathVariable String grantId,
                                            @RequestBody(required = false) VoidBody body, Caller caller) {
        caller.require(Role.ADMIN, Role.FINANCE);
        String reason = body == null ? null : RequestFields.optionalDescription(body.reason(), "reason");
        CommandOutcome outcome = commands.send(new VoidCredit(accountId, grantId, reason));
        return answers.answer(accountId, grantId, outcome, HttpStatus.OK);
    }
}
