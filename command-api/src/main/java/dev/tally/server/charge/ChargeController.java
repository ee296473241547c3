package dev.tally.server.charge;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import dev.tally.ledger.api.charge.RecordCharge;
import dev.tally.ledger.api.outcome.CommandOutcome;
import dev.tally.server.account.AccountCurrencies;
import dev.tally.server.web.auth.Caller;
import dev.tally.server.web.auth.Role;
import dev.tally.server.web.command.AccountCommandAnswers;
import dev.tally.server.web.command.AccountCommandAnswers.CommandAnswer;
import dev.tally.server.web.command.LedgerCommands;
import dev.tally.server.web.json.RequestFields;
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
import dev.tally.ledger.api.outcome.ErrorCode;

/** {@code POST /v1/accounts/{id}/charges}: a manual charge, or with a negative amount an adjustment. */
@ConditionalOnTallyRole(TallyRole.API)
@RestController
@Tag(name = "charges", description = "Manual charges and adjustments")
class ChargeController {

    /** A negative amount is an adjustment in the customer's favour. */
    @Schema(name = "RecordChargeRequest")
    record ChargeBody(@Schema(requiredMode = REQUIRED) String chargeId,
                      @Schema(requiredMode = REQUIRED) String amount, String currency,
                      @Schema(requiredMode = REQUIRED) String description, String timestamp) {
    }

    private final LedgerCommands commands;
    private final AccountCommandAnswers answers;
    private final AccountCurrencies currencies;

    ChargeController(LedgerCommands commands, AccountCommandAnswers answers, AccountCurrencies currencies) {
        this.commands = commands;
        this.answers = answers;
        this.currencies = currencies;
    }

    @PostMapping("/v1/accounts/{accountId}/charges")
    @Operation(operationId = "recordCharge", summary = "Record a manual charge or adjustment",
            description = "Roles: admin, finance.")
    @ApiResponse(responseCode = "201", description = "The charge, accepted or a duplicate of an identical one",
            useReturnTypeSchema = true)
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.UNKNOWN_ACCOUNT, ErrorCode.MISSING_FIELD, ErrorCode.INVALID_FIELD,
            ErrorCode.INVALID_AMOUNT, ErrorCode.CURRENCY_MISMATCH, ErrorCode.INVALID_TIMESTAMP,
            ErrorCode.TIMESTAMP_IN_FUTURE, ErrorCode.TIMESTAMP_BEFORE_BILLING_START, ErrorCode.ALREADY_EXISTS})
    ResponseEntity<CommandAnswer> charge(@PathVariable String accountId, @RequestBody ChargeBody body, Caller caller) {
        caller.require(Role.ADMIN, Role.FINANCE);
        String chargeId = RequestFields.identifier(body.chargeId(), "chargeId");
        CommandOutcome outcome = commands.send(new RecordCharge(accountId, chargeId,
                currencies.money(accountId, RequestFields.requiredDecimal(body.amount(), "amount"), body.currency()),
                RequestFields.requiredDescription(body.description(), "description"),
                RequestFields.optionalInstant(body.timestamp(), "timestamp")));
        return answers.answer(accountId, chargeId, outcome, HttpStatus.CREATED);
    }
}
