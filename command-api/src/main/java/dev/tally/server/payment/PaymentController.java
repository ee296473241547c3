package dev.tally.server.payment;

import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import dev.tally.ledger.api.outcome.CommandOutcome;
import dev.tally.ledger.api.payment.RecordPayment;
import dev.tally.ledger.api.payment.RefundPayment;
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

/** Payments received ({@code POST .../payments}) and refunds ({@code POST .../refunds}). */
@ConditionalOnTallyRole(TallyRole.API)
@RestController
class PaymentController {

    record PaymentBody(String paymentId, String amount, String currency, String method, String externalRef) {
    }

    record RefundBody(String refundId, String paymentId, String amount, String currency) {
    }

    private final LedgerCommands commands;
    private final AccountCommandAnswers answers;
    private final AccountCurrencies currencies;

    PaymentController(LedgerCommands commands, AccountCommandAnswers answers, AccountCurrencies currencies) {
        this.commands = commands;
        this.answers = answers;
        this.currencies = currencies;
    }

    @PostMapping("/v1/accounts/{accountId}/payments")
    ResponseEntity<CommandAnswer> pay(@PathVariable String accountId, @RequestBody PaymentBody body, Caller caller) {
        caller.require(Role.ADMIN, Role.FINANCE);
        String paymentId = RequestFields.identifier(body.paymentId(), "paymentId");
        CommandOutcome outcome = commands.send(new RecordPayment(accountId, paymentId,
                currencies.money(accountId, RequestFields.requiredDecimal(body.amount(), "amount"), body.currency()),
                RequestFields.requiredText(body.method(), "method"),
                RequestFields.optionalText(body.externalRef(), "externalRef")));
        return answers.answer(accountId, paymentId, outcome, HttpStatus.CREATED);
    }

    @PostMapping("/v1/accounts/{accountId}/refunds")
    ResponseEntity<CommandAnswer> refund(@PathVariable String accountId, @RequestBody RefundBody body, Caller caller) {
        caller.require(Role.ADMIN, Role.FINANCE);
        String refundId = RequestFields.identifier(body.refundId(), "refundId");
        CommandOutcome outcome = commands.send(new RefundPayment(accountId, refundId,
                RequestFields.identifier(body.paymentId(), "paymentId"),
                currencies.money(accountId, RequestFields.requiredDecimal(body.amount(), "amount"), body.currency())));
        return answers.answer(accountId, refundId, outcome, HttpStatus.CREATED);
    }
}
