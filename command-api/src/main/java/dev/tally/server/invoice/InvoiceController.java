package dev.tally.server.invoice;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import dev.tally.ledger.api.invoice.CloseBillingPeriod;
import dev.tally.ledger.api.invoice.InvoiceIds;
import dev.tally.ledger.api.invoice.VoidInvoice;
import dev.tally.ledger.api.outcome.CommandOutcome;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.projections.balance.AccountView;
import dev.tally.projections.balance.BalanceQueries;
import dev.tally.projections.invoice.InvoiceQueries;
import dev.tally.projections.invoice.InvoiceView;
import dev.tally.projections.support.ProcessingGroups;
import dev.tally.server.invoice.document.InvoiceCustomer;
import dev.tally.server.invoice.document.InvoicePdf;
import dev.tally.server.web.auth.Caller;
import dev.tally.server.web.auth.Role;
import dev.tally.server.web.command.LedgerCommands;
import dev.tally.server.web.error.ProblemException;
import dev.tally.server.web.json.Page;
import dev.tally.server.web.json.PageRequest;
import dev.tally.server.web.json.RequestFields;
import dev.tally.server.web.position.LedgerPositions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
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

/**
 * Invoices: close an ended period ({@code POST /v1/accounts/{id}/invoices}), void one
 * ({@code POST /v1/invoices/{id}/void}), list an account's and read one with its lines.
 */
@ConditionalOnTallyRole(TallyRole.API)
@RestController
@Tag(name = "invoices", description = "Closing billing periods, invoices and their documents")
class InvoiceController {

    @Schema(name = "CloseBillingPeriodRequest")
    record CloseBody(@Schema(requiredMode = REQUIRED) String periodStart) {
    }

    @Schema(name = "VoidInvoiceRequest")
    record VoidBody(Boolean restoreCredits, String reason) {
    }

    private static final Set<String> STATUSES = Set.of("issued", "paid", "void");

    private final LedgerCommands commands;
    private final InvoiceQueries invoices;
    private final LedgerPositions positions;
    private final BalanceQueries accounts;
    private final InvoiceProperties properties;
    /** Decides which invoices are overdue when they are read (see {@link InvoiceView#isOverdueAt}). */
    private final Clock clock;
    private final InvoicePdf pdf = new InvoicePdf();

    InvoiceController(LedgerCommands commands, InvoiceQueries invoices, LedgerPositions positions,
                      BalanceQueries accounts, InvoiceProperties properties, Clock clock) {
        this.commands = commands;
        this.invoices = invoices;
        this.positions = positions;
        this.accounts = accounts;
        this.properties = properties;
        this.clock = clock;
    }

    @PostMapping("/v1/accounts/{accountId}/invoices")
    @Operation(operationId = "closeBillingPeriod", summary = "Close an ended billing period into its invoice",
            description = "Roles: admin, finance.")
    @ApiResponse(responseCode = "201", description = "The invoice issued", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "200", description = "The period was closed before: its invoice",
            useReturnTypeSchema = true)
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.UNKNOWN_ACCOUNT, ErrorCode.MISSING_FIELD, ErrorCode.INVALID_FIELD,
            ErrorCode.INVALID_TIMESTAMP, ErrorCode.INVALID_PERIOD_START, ErrorCode.PERIOD_NOT_ENDED,
            ErrorCode.EARLIER_PERIOD_NOT_INVOICED})
    ResponseEntity<InvoiceBody> close(@PathVariable String accountId, @RequestBody CloseBody body, Caller caller) {
        caller.require(Role.ADMIN, Role.FINANCE);
        Instant periodStart = RequestFields.optionalInstant(body.periodStart(), "periodStart");
        if (periodStart == null) {
            throw new ProblemException(ErrorCode.MISSING_FIELD, "periodStart is required");
        }
        CommandOutcome outcome = commands.send(new CloseBillingPeriod(accountId, periodStart));
        return answer(accountId, InvoiceIds.of(accountId, periodStart),
                outcome.status() == CommandOutcome.Status.ACCEPTED ? HttpStatus.CREATED : HttpStatus.OK);
    }

    @PostMapping("/v1/invoices/{invoiceId}/void")
    @Operation(operationId = "voidInvoice", summary = "Void an invoice", description = "Roles: admin, finance.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.UNKNOWN_INVOICE, ErrorCode.INVALID_FIELD, ErrorCode.INVOICE_ALREADY_PAID})
    ResponseEntity<InvoiceBody> voidInvoice(@PathVariable String invoiceId, @RequestBody(required = false) VoidBody body,
                                            Caller caller) {
        caller.require(Role.ADMIN, Role.FINANCE);
        VoidBody request = body == null ? new VoidBody(null, null) : body;
        InvoiceView invoice = find(invoiceId);
        commands.send(new VoidInvoice(invoice.accountId(), invoiceId, Boolean.TRUE.equals(request.restoreCredits()),
                RequestFields.optionalDescription(request.reason(), "reason")));
        return answer(invoice.accountId(), invoiceId, HttpStatus.OK);
    }

    @GetMapping("/v1/accounts/{accountId}/invoices")
    @Operation(operationId = "listInvoices", summary = "An account's invoices with their lines",
            description = "Roles: any; a client key only for its own accounts. status is issued, paid or void.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.INVALID_FIELD})
    Page<InvoiceBody> list(@PathVariable String accountId, @RequestParam(required = false) String status,
                           @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor,
                           @RequestParam(required = false) Long minPosition, Caller caller) {
        caller.requireAccount(accountId);
        if (status != null && !STATUSES.contains(status)) {
            throw new ProblemException(ErrorCode.INVALID_FIELD, "status is issued, paid or void");
        }
        PageRequest page = PageRequest.of(limit, cursor);
        Instant after = page.cursor() == null ? null : cursorInstant(page.cursor());
        positions.awaitAccount(accountId, minPosition);
        List<InvoiceView> found = invoices.invoicesOf(accountId, status, after, page.limit() + 1);
        boolean more = found.size() > page.limit();
        List<InvoiceView> shown = more ? found.subList(0, page.limit()) : found;
        Instant now = clock.instant();
        return new Page<>(shown.stream().map(invoice -> InvoiceBody.of(invoice, now)).toList(),
                more ? PageRequest.encode(shown.get(shown.size() - 1).periodStart().toString()) : null);
    }

    @GetMapping("/v1/invoices/{invoiceId}")
    @Operation(operationId = "getInvoice", summary = "An invoice with its lines",
            description = "Roles: any; a client key only for its own accounts.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.UNKNOWN_INVOICE})
    InvoiceBody get(@PathVariable String invoiceId, @RequestParam(required = false) Long minPosition, Caller caller) {
        positions.await(ProcessingGroups.LEDGER_PROJECTIONS, minPosition);
        InvoiceView invoice = invoices.invoice(invoiceId)
                .orElseThrow(() -> new ProblemException(ErrorCode.UNKNOWN_INVOICE, "no invoice " + invoiceId));
        caller.requireAccount(invoice.accountId());
        positions.requireCurrent(invoice.accountId());
        return InvoiceBody.of(invoice, clock.instant());
    }

    @GetMapping(value = "/v1/invoices/{invoiceId}.pdf", produces = MediaType.APPLICATION_PDF_VALUE)
    @Operation(operationId = "getInvoiceDocument", summary = "An invoice as a PDF document",
            description = "Roles: any; a client key only for its own accounts.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.UNKNOWN_INVOICE, ErrorCode.UNKNOWN_ACCOUNT})
    ResponseEntity<byte[]> document(@PathVariable String invoiceId, @RequestParam(required = false) Long minPosition,
                                    Caller caller) {
        positions.await(ProcessingGroups.LEDGER_PROJECTIONS, minPosition);
        InvoiceView invoice = invoices.invoice(invoiceId)
                .orElseThrow(() -> new ProblemException(ErrorCode.UNKNOWN_INVOICE, "no invoice " + invoiceId));
        caller.requireAccount(invoice.accountId());
        positions.requireCurrent(invoice.accountId());
        AccountView account = accounts.account(invoice.accountId()).orElseThrow(
                () -> new ProblemException(ErrorCode.UNKNOWN_ACCOUNT, "no account " + invoice.accountId()));
        byte[] document = pdf.render(invoice, properties.issuer(),
                new InvoiceCustomer(account.accountId(), account.name(), account.email()));
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_PDF)
                .header("Content-Disposition", "inline; filename=\"" + invoice.number() + ".pdf\"")
                .body(document);
    }

    /**
     * The invoice a write names, read from the projection. An invoice issued a moment ago may not
     * be projected yet, so a miss waits for the projection to reach the newest event before it
     * counts as unknown.
     */
    private InvoiceView find(String invoiceId) {
        Optional<InvoiceView> invoice = invoices.invoice(invoiceId);
        if (invoice.isEmpty()) {
            positions.await(ProcessingGroups.LEDGER_PROJECTIONS, positions.eventStoreHead());
            invoice = invoices.invoice(invoiceId);
        }
        return invoice.orElseThrow(() -> new ProblemException(ErrorCode.UNKNOWN_INVOICE, "no invoice " + invoiceId));
    }

    /**
     * Answers with the invoice as it stands after the command, once the projection shows it; an
     * account whose views are stalled cannot show it, and says so rather than answer "no invoice".
     */
    private ResponseEntity<InvoiceBody> answer(String accountId, String invoiceId, HttpStatus status) {
        long position = positions.latestPositionOf(List.of(accountId));
        positions.awaitAccount(accountId, position);
        InvoiceView invoice = invoices.invoice(invoiceId)
                .orElseThrow(() -> new ProblemException(ErrorCode.UNKNOWN_INVOICE, "no invoice " + invoiceId));
        return ResponseEntity.status(status)
                .header(LedgerPositions.HEADER, Long.toString(position))
                .header("Location", "/v1/invoices/" + invoiceId)
                .body(InvoiceBody.of(invoice, clock.instant()));
    }

    private static Instant cursorInstant(String cursor) {
        try {
            return Instant.parse(cursor);
        } catch (RuntimeException invalid) {
            throw new ProblemException(ErrorCode.MALFORMED_REQUEST, "cursor is not one this API gave out");
        }
    }
}
