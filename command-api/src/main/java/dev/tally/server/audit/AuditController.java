package dev.tally.server.audit;

import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.ledger.audit.EventHashes;
import dev.tally.server.web.auth.Caller;
import dev.tally.server.web.auth.Role;
import dev.tally.server.web.error.ProblemException;
import dev.tally.server.web.json.Page;
import dev.tally.server.web.json.PageRequest;
import dev.tally.server.web.json.RequestFields;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import dev.tally.server.web.openapi.Refusals;

/**
 * {@code GET /v1/accounts/{id}/audit}: every event of an account with its metadata and hash; and
 * the checkpoints: {@code GET /v1/audit/checkpoints/latest} to download the file an auditor keeps,
 * {@code POST /v1/audit/checkpoints} to take one now. Auditors and admins only.
 */
@ConditionalOnTallyRole(TallyRole.API)
@RestController
@Tag(name = "audit", description = "The audit trail and the ledger's checkpoints")
class AuditController {

    record AuditItem(long position, String eventId, long sequence, String type, String timestamp, String recordedAt,
                     String actor, String requestId, String causationId, String correlationId, String idempotencyKey,
                     String hash, String prevHash, JsonNode payload) {
    }

    private static final Pattern EVENT_TYPE = Pattern.compile("[A-Z][A-Za-z]{0,99}");

    private final AuditTrail trail;
    private final Checkpointer checkpointer;
    private final ObjectMapper json;

    AuditController(AuditTrail trail, Checkpointer checkpointer, ObjectMapper json) {
        this.trail = trail;
        this.checkpointer = checkpointer;
        this.json = json;
    }

    @GetMapping("/v1/accounts/{accountId}/audit")
    @Operation(operationId = "listAuditEvents", summary = "Every event of an account with its metadata and hash",
            description = "Roles: admin, auditor. type is an event name such as UsageRecorded.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.UNKNOWN_ACCOUNT, ErrorCode.INVALID_FIELD, ErrorCode.INVALID_TIMESTAMP})
    Page<AuditItem> events(@PathVariable String accountId, @RequestParam(required = false) String type,
                           @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                           @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor,
                           @RequestParam(required = false) Long minPosition, Caller caller) {
        // minPosition is always met: the trail reads the event store itself, not a projection.
        caller.require(Role.ADMIN, Role.AUDITOR);
        PageRequest page = PageRequest.of(limit, cursor);
        if (type != null && !EVENT_TYPE.matcher(type).matches()) {
            throw new ProblemException(ErrorCode.INVALID_FIELD, "type is an event name such as UsageRecorded");
        }
        Instant fromInstant = RequestFields.optionalInstant(from, "from");
        Instant toInstant = RequestFields.optionalInstant(to, "to");
        if (!trail.streamExists(accountId)) {
            throw new ProblemException(ErrorCode.UNKNOWN_ACCOUNT, "no account " + accountId);
        }
        long afterSequence = -1;
        if (page.cursor() != null) {
            try {
                afterSequence = Long.parseLong(page.cursor());
            } catch (NumberFormatException invalid) {
                throw new ProblemException(ErrorCode.MALFORMED_REQUEST, "cursor is not one this API gave out");
            }
        }
        List<AuditRecord> records = trail.page(new AuditTrail.Query(accountId, afterSequence, type, fromInstant,
                toInstant, page.limit() + 1));
        boolean more = records.size() > page.limit();
        List<AuditRecord> shown = more ? records.subList(0, page.limit()) : records;
        return new Page<>(shown.stream().map(this::item).toList(),
                more ? PageRequest.encode(Long.toString(shown.get(shown.size() - 1).sequence())) : null);
    }

    @GetMapping("/v1/audit/checkpoints/latest")
    @Operation(operationId = "getLatestCheckpoint", summary = "The latest checkpoint, as the file an auditor keeps",
            description = "Roles: admin, auditor.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})
    ResponseEntity<Checkpoint> latestCheckpoint(Caller caller) {
        caller.require(Role.ADMIN, Role.AUDITOR);
        Checkpoint checkpoint = checkpointer.latest()
                .orElseThrow(() -> new ProblemException(ErrorCode.NOT_FOUND, "no checkpoint has been taken yet"));
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        "attachment; filename=\"tally-checkpoint-" + checkpoint.position() + ".json\"")
                .body(checkpoint);
    }

    @PostMapping("/v1/audit/checkpoints")
    @Operation(operationId = "takeCheckpoint", summary = "Take a checkpoint now", description = "Roles: admin.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})
    Checkpoint takeCheckpoint(Caller caller) {
        caller.require(Role.ADMIN);
        return checkpointer.checkpoint()
                .orElseThrow(() -> new ProblemException(ErrorCode.NOT_FOUND, "the ledger has no events to checkpoint"));
    }

    private AuditItem item(AuditRecord record) {
        JsonNode metaData = record.metaData() == null ? json.createObjectNode() : json.readTree(record.metaData());
        JsonNode payload = json.readTree(record.payload());
        JsonNode occurred = payload.get("timestamp");
        return new AuditItem(record.position(), record.eventId(), record.sequence(), record.type(),
                occurred != null && occurred.isString() ? occurred.asString() : record.recordedAt(), record.recordedAt(),
                text(metaData, "actor"), text(metaData, "requestId"), text(metaData, "causationId"),
                text(metaData, "correlationId"), text(metaData, "idempotencyKey"), EventHashes.hex(record.hash()),
                EventHashes.hex(record.prevHash()), payload);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }
}
