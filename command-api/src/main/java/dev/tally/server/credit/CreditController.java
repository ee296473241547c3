package dev.tally.server.credit;

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

/** Credit grants: {@code POST /v1/accounts/{id}/credits} and {@code .../credits/{grantId}/void}. */
@ConditionalOnTallyRole(TallyRole.API)
@RestController
class CreditController {

    record GrantBody(String grantId, String amount, String currency, String kind, String effectiveAt, String expiresAt, Integer priority,
                     String description) {
    }

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
    ResponseEntity<CommandAnswer> voidGrant(@PathVariable String accountId, @PathVariable String grantId,
                                            @RequestBody(required = false) VoidBody body, Caller caller) {
        caller.require(Role.ADMIN, Role.FINANCE);
        String reason = body == null ? null : RequestFields.optionalDescription(body.reason(), "reason");
        CommandOutcome outcome = commands.send(new VoidCredit(accountId, grantId, reason));
        return answers.answer(accountId, grantId, outcome, HttpStatus.OK);
    }
}
