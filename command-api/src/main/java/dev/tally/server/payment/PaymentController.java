package dev.tally.server.payment;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

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
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import dev.tally.server.web.openapi.Refusals;
import dev.tally.ledger.api.outcome.ErrorCode;

/** Payments received ({@code POST .../payments}) and refunds ({@code POST .../refunds}). */
@ConditionalOnTallyRole(TallyRole.API)
@RestController
@Tag(name = "payments", description = "Payments and refunds")
class PaymentController {

    @Schema(name = "RecordPaymentRequest")
    record PaymentBody(@Schema(requiredMode = REQUIRED) String paymentId,
                       @Schema(requiredMode = REQUIRED) String amount, String currency,
                       @Schema(requiredMode = REQUIRED) String method, String externalRef) {
    }

    @Schema(name = "RefundPaymentRequest")
    record RefundBody(@Schema(requiredMode = REQUIRED) String refundId,
                      @Schema(requiredMode = REQUIRED) String paymentId,
                      @Schema(requiredMode = REQUIRED) String amount, String currency) {
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
    @Operation(operationId = "recordPayment", summary = "Record a payment received",
            description = "Roles: admin, finance.")
    @ApiResponse(responseCode = "201", description = "The payment, accepted or a duplicate of an identical one",
            useReturnTypeSchema = true)
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.UNKNOWN_ACCOUNT, ErrorCode.MISSING_FIELD, ErrorCode.INVALID_FIELD,
            ErrorCode.INVALID_AMOUNT, ErrorCode.CURRENCY_MISMATCH, ErrorCode.ALREADY_EXISTS})
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
    @Operation(operationId = "refundPayment", summary = "Refund (part of) a payment",
            description = "Roles: admin, finance.")
    @ApiResponse(responseCode = "201", description = "The refund, accepted or a duplicate of an identical one",
            useReturnTypeSchema = true)
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.UNKNOWN_ACCOUNT, ErrorCode.MISSING_FIELD, ErrorCode.INVALID_FIELD,
            ErrorCode.INVALID_AMOUNT, ErrorCode.CURRENCY_MISMATCH, ErrorCode.UNKNOWN_PAYMENT,
            ErrorCode.REFUND_EXCEEDS_PAYMENT, ErrorCode.ALREADY_EXISTS})
    ResponseEntity<CommandAnswer> refund(@PathVariable String accountId, @RequestBody RefundBody body, Caller caller) {
        caller.require(Role.ADMIN, Role.FINANCE);
        String refundId = RequestFields.identifier(body.refundId(), "refundId");
        CommandOutcome outcome = commands.send(new RefundPayment(accountId, refundId,
                RequestFields.identifier(body.paymentId(), "paymentId"),
                currencies.money(accountId, RequestFields.requiredDecimal(body.amount(), "amount"), body.currency())));
        return answers.answer(accountId, refundId, outcome, HttpStatus.CREATED);
    }
}
