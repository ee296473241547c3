package dev.tally.server.processing;

import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import dev.tally.server.web.auth.Caller;
import dev.tally.server.web.auth.Role;
import dev.tally.server.web.error.ProblemException;
import dev.tally.server.web.json.PageRequest;
import dev.tally.server.web.json.RequestFields;
import dev.tally.server.web.position.LedgerPositions;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import dev.tally.server.web.openapi.Refusals;

/**
 * Admin endpoints over the dead letters of the processors this process runs (the projections,
 * the warehouse export, the Orb and Stripe sync): list them with their reasons, retry one after
 * fixing its cause, or discard it. A process answers for its own processors, so in Kubernetes an
 * operator calls the Deployment that runs them.
 */
@ConditionalOnTallyRole({TallyRole.PROJECTIONS, TallyRole.INTEGRATIONS})
@RestController
@Tag(name = "dead-letters", description = "Events a processor could not handle, on the process that runs it")
class DeadLetterController {

    record DeadLetterList(Map<String, Long> counts, List<DeadLetterView> items) {
    }

    private final DeadLetters deadLetters;
    private final LedgerPositions positions;

    DeadLetterController(DeadLetters deadLetters, LedgerPositions positions) {
        this.deadLetters = deadLetters;
        this.positions = positions;
    }

    @GetMapping("/v1/admin/dead-letters")
    @Operation(operationId = "listDeadLetters", summary = "This process's dead letters with their causes",
            description = "Roles: admin.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})
    DeadLetterList list(@RequestParam(required = false) String group, @RequestParam(required = false) Integer limit,
                        Caller caller) {
        caller.require(Role.ADMIN);
        if (group != null && !deadLetters.groups().contains(group)) {
            throw new ProblemException(ErrorCode.NOT_FOUND, "this process runs no processor " + group
                    + " with a dead-letter queue; it runs " + deadLetters.groups());
        }
        int max = PageRequest.of(limit, null).limit();
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (String each : group == null ? deadLetters.groups() : List.of(group)) {
            counts.put(each, deadLetters.count(each));
        }
        return new DeadLetterList(counts, deadLetters.list(group, max));
    }

    @PostMapping("/v1/admin/dead-letters/{group}/{id}/retry")
    @Operation(operationId = "retryDeadLetter", summary = "Hand a dead letter back to its processor",
            description = "Roles: admin.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND, ErrorCode.INVALID_FIELD})
    RetryOutcome retry(@PathVariable String group, @PathVariable String id, Caller caller) {
        caller.require(Role.ADMIN);
        return deadLetters.retry(group, id);
    }

    record SkipBody(String reason) {
    }

    /**
     * Skips the letter's event for good, as a ledger fact: {@code ProjectionEventSkipped} on the
     * account's stream, with the caller as its actor, which every projection and rebuild honour.
     */
    @PostMapping("/v1/admin/dead-letters/{group}/{id}/skip")
    ResponseEntity<DeadLetters.SkipOutcome> skip(@PathVariable String group, @PathVariable String id,
                                                 @RequestBody(required = false) SkipBody body, Caller caller) {
        caller.require(Role.ADMIN);
        String reason = RequestFields.requiredDescription(body == null ? null : body.reason(), "reason");
        DeadLetters.SkipOutcome skipped = deadLetters.skip(group, id, reason);
        return ResponseEntity.ok().header(LedgerPositions.HEADER,
                Long.toString(positions.latestPositionOf(List.of(skipped.accountId())))).body(skipped);
    }

    @DeleteMapping("/v1/admin/dead-letters/{group}/{id}")
    @Operation(operationId = "discardDeadLetter", summary = "Discard a dead letter", description = "Roles: admin.")
    @ApiResponse(responseCode = "204", description = "Discarded")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})
    ResponseEntity<Void> discard(@PathVariable String group, @PathVariable String id, Caller caller) {
        caller.require(Role.ADMIN);
        deadLetters.discard(group, id);
        return ResponseEntity.noContent().build();
    }
}
