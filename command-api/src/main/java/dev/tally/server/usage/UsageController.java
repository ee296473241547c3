package dev.tally.server.usage;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.ledger.api.usage.RecordUsage;
import dev.tally.ledger.api.usage.UsageOutcome;
import dev.tally.ledger.api.usage.UsageStatus;
import dev.tally.projections.balance.AccountView;
import dev.tally.projections.balance.BalanceQueries;
import dev.tally.projections.usage.DailyUsage;
import dev.tally.projections.usage.UsageQueries;
import dev.tally.server.web.auth.Caller;
import dev.tally.server.web.auth.Role;
import dev.tally.server.web.error.ProblemException;
import dev.tally.server.web.json.Amounts;
import dev.tally.server.web.json.Page;
import dev.tally.server.web.json.PageRequest;
import dev.tally.server.web.position.LedgerPositions;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.media.Schema;
import dev.tally.server.web.openapi.Refusals;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import java.util.Map;

/** {@code POST /v1/usage} records a batch; {@code GET /v1/accounts/{id}/usage} reads daily usage. */
@ConditionalOnTallyRole(TallyRole.API)
@RestController
@Tag(name = "usage", description = "Usage events and daily usage")
class UsageController {

    /**
     * One usage event as {@code POST /v1/usage} reads it ({@link UsageBatchParser} reads the JSON
     * itself, so that each event stands or falls alone); this record only describes it.
     */
    @Schema(name = "UsageEvent", description = "properties: a flat object of strings and numbers, at most 4 KiB")
    record UsageEventBody(@Schema(requiredMode = REQUIRED) String idempotencyKey,
                          @Schema(requiredMode = REQUIRED) String accountId,
                          @Schema(requiredMode = REQUIRED) String meter,
                          @Schema(requiredMode = REQUIRED) String quantity,
                          @Schema(requiredMode = REQUIRED) String timestamp, Map<String, Object> properties) {
    }

    @Schema(name = "UsageBatch")
    record UsageBatchBody(@ArraySchema(schema = @Schema(implementation = UsageEventBody.class), minItems = 1,
            maxItems = RecordUsage.MAX_EVENTS_PER_BATCH, arraySchema = @Schema(requiredMode = REQUIRED))
                          List<UsageEventBody> events) {
    }

    /** {@code status} is accepted, duplicate or rejected; a rejection carries {@code code} and {@code detail}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "UsageEventResult")
    record Result(String idempotencyKey, String status, String code, String detail) {
    }

    @Schema(name = "UsageBatchResult")
    record BatchAnswer(List<Result> results) {
    }

    record UsageDay(String meter, LocalDate day, String quantity, String accrued, long events) {
    }

    private final UsageDispatcher dispatcher;
    private final UsageQueries usage;
    private final BalanceQueries balances;
    private final LedgerPositions positions;

    UsageController(UsageDispatcher dispatcher, UsageQueries usage, BalanceQueries balances, LedgerPositions positions) {
        this.dispatcher = dispatcher;
        this.usage = usage;
        this.balances = balances;
        this.positions = positions;
    }

    @PostMapping("/v1/usage")
    @Operation(operationId = "recordUsage",
            summary = "Record a batch of 1-1000 usage events; each stands or falls alone",
            description = "Roles: admin; client for its own accounts (an event for another account is rejected).",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = UsageBatchBody.class))))
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.BATCH_TOO_LARGE})
    ResponseEntity<BatchAnswer> record(@RequestBody JsonNode body, Caller caller) {
        caller.require(Role.ADMIN, Role.CLIENT);
        JsonNode events = body == null || !body.isObject() ? null : body.get("events");
        if (events == null || !events.isArray()) {
            throw new ProblemException(ErrorCode.MALFORMED_REQUEST, "the body is {\"events\": [...]}");
        }
        for (String member : body.propertyNames()) {
            if (!member.equals("events")) {
                throw new ProblemException(ErrorCode.UNKNOWN_MEMBER, "\"" + member
                        + "\" is not a member of this body; it takes events");
            }
        }
        if (events.isEmpty() || events.size() > RecordUsage.MAX_EVENTS_PER_BATCH) {
            throw new ProblemException(ErrorCode.BATCH_TOO_LARGE, "a batch holds 1-1000 events");
        }
        UsageDispatcher.Answer answer = dispatcher.record(events, caller);
        List<Result> results = answer.outcomes().stream().map(UsageController::result).toList();
        return ResponseEntity.ok().header(LedgerPositions.HEADER, Long.toString(answer.position()))
                .body(new BatchAnswer(results));
    }

    @GetMapping("/v1/accounts/{accountId}/usage")
    @Operation(operationId = "listUsage", summary = "Quantities and accrued amounts per meter and day",
            description = "Roles: any; a client key only for its own accounts. from and to are dates (2026-11-01).")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.UNKNOWN_ACCOUNT})
    Page<UsageDay> read(@PathVariable String accountId, @RequestParam(required = false) String meter,
                        @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                        @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor,
                        @RequestParam(required = false) Long minPosition, Caller caller) {
        caller.requireAccount(accountId);
        PageRequest page = PageRequest.of(limit, cursor);
        positions.awaitAccount(accountId, minPosition);
        AccountView account = balances.account(accountId)
                .orElseThrow(() -> new ProblemException(ErrorCode.UNKNOWN_ACCOUNT, "no account " + accountId));
        String afterMeter = null;
        LocalDate afterDay = null;
        if (page.cursor() != null) {
            int split = page.cursor().lastIndexOf('|');
            if (split < 0) {
                throw new ProblemException(ErrorCode.MALFORMED_REQUEST, "cursor is not one this API gave out");
            }
            afterMeter = page.cursor().substring(0, split);
            afterDay = day(page.cursor().substring(split + 1), "cursor");
        }
        List<DailyUsage> days = usage.usage(accountId, meter, day(from, "from"), day(to, "to"), afterMeter, afterDay,
                page.limit() + 1);
        boolean more = days.size() > page.limit();
        List<DailyUsage> shown = more ? days.subList(0, page.limit()) : days;
        String next = more ? PageRequest.encode(shown.get(shown.size() - 1).meter() + "|" + shown.get(shown.size() - 1).day())
                : null;
        return new Page<>(shown.stream().map(day -> new UsageDay(day.meter(), day.day(), Amounts.plain(day.quantity()),
                Amounts.format(day.accrued(), account.currency()), day.events())).toList(), next);
    }

    private static LocalDate day(String text, String field) {
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text);
        } catch (DateTimeParseException invalid) {
            throw new ProblemException(ErrorCode.MALFORMED_REQUEST, field + " is a date such as 2026-11-01");
        }
    }

    private static Result result(UsageOutcome outcome) {
        String status = switch (outcome.status()) {
            case ACCEPTED -> "accepted";
            case DUPLICATE -> "duplicate";
            case REJECTED -> "rejected";
        };
        return new Result(outcome.idempotencyKey(), status, outcome.status() == UsageStatus.REJECTED
                ? outcome.code().code() : null, outcome.detail());
    }
}
