package dev.tally.server.charge;

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

/** {@code POST /v1/accounts/{id}/charges}: a manual charge, or with a negative amount an adjustment. */
@ConditionalOnTallyRole(TallyRole.API)
@RestController
class ChargeController {

    record ChargeBody(String chargeId, String amount, String currency, String description, String timestamp) {
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
