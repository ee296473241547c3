package dev.tally.server.apikey;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import dev.tally.server.web.auth.ApiKeyStore;
import dev.tally.server.web.auth.ApiKeyStore.KeyRecord;
import dev.tally.server.web.auth.Caller;
import dev.tally.server.web.auth.Role;
import dev.tally.server.web.error.ProblemException;
import dev.tally.server.web.json.Page;
import dev.tally.server.web.json.PageRequest;
import dev.tally.server.web.json.RequestFields;
import dev.tally.server.web.request.CommandOrigin;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.media.Schema;
import dev.tally.server.web.openapi.Refusals;

/**
 * API keys: admins issue, list, revoke and rotate them ({@code /v1/api-keys}); admins and auditors
 * read a key's changes; any key reads itself ({@code GET /v1/me}). A secret is in the answer that
 * issues or rotates it in and nowhere else.
 */
@ConditionalOnTallyRole(TallyRole.API)
@RestController
@Tag(name = "api-keys", description = "API keys and the key a request is made with")
class ApiKeyController {

    static final int MAX_ACCOUNTS_PER_KEY = 1000;
    /** Between the creation instant and the key id in a list cursor; neither contains it. */
    private static final String CURSOR_SEPARATOR = "|";

    /** {@code role} is admin, finance, auditor or client; a client key names the accounts it may use. */
    @Schema(name = "CreateApiKeyRequest")
    record CreateApiKey(@Schema(requiredMode = REQUIRED) String name, @Schema(requiredMode = REQUIRED) String role,
                        List<String> accountIds) {
    }

    record IssuedApiKey(String id, String key, String name, String role, List<String> accountIds) {
    }

    @Schema(name = "RotateApiKeyRequest")
    record RotateApiKey(@Schema(requiredMode = REQUIRED, example = "PT1H",
            description = "An ISO-8601 duration from PT0S to P30D: how long the replaced secret keeps working")
                        String gracePeriod) {
    }

    record RotatedApiKey(String id, String key, String name, String role, List<String> accountIds,
                         Instant previousKeyValidUntil) {
    }

    /** {@code status} is {@code active} or {@code revoked}. */
    @Schema(name = "ApiKey")
    record ApiKeyView(String id, String name, String role, List<String> accountIds, Instant createdAt, String status,
                      Instant revokedAt, Instant previousKeyValidUntil) {
    }

    /** {@code change} is {@code issued}, {@code revoked} or {@code rotated}; the actor is a key id or {@code system:<job>}. */
    @Schema(name = "ApiKeyChange")
    record ApiKeyChangeView(String keyId, String change, String actor, String requestId, Instant changedAt,
                            Instant previousKeyValidUntil) {
    }

    record Me(String id, String name, String role, List<String> accountIds) {
    }

    private final ApiKeyStore keys;

    ApiKeyController(ApiKeyStore keys) {
        this.keys = keys;
    }

    @PostMapping("/v1/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(operationId = "createApiKey", summary = "Issue a key; its secret is in this answer only",
            description = "Roles: admin.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.MISSING_FIELD, ErrorCode.INVALID_FIELD, ErrorCode.INVALID_ROLE})
    IssuedApiKey create(@RequestBody CreateApiKey request, Caller caller) {
        caller.require(Role.ADMIN);
        String name = RequestFields.requiredText(request.name(), "name");
        Role role = request.role() == null ? null : Role.fromWireName(request.role());
        if (role == null) {
            throw new ProblemException(ErrorCode.INVALID_ROLE, "role is admin, finance, auditor or client");
        }
        Set<String> accounts = new LinkedHashSet<>();
        for (String accountId : request.accountIds() == null ? List.<String>of() : request.accountIds()) {
            accounts.add(RequestFields.identifier(accountId, "accountIds[]"));
        }
        if (accounts.size() > MAX_ACCOUNTS_PER_KEY) {
            throw new ProblemException(ErrorCode.INVALID_FIELD, "a key names at most " + MAX_ACCOUNTS_PER_KEY + " accounts");
        }
        if (role == Role.CLIENT && accounts.isEmpty()) {
            throw new ProblemException(ErrorCode.MISSING_FIELD, "a client key names the accounts it may use");
        }
        ApiKeyStore.IssuedKey issued = keys.issue(name, role, accounts, origin());
        return new IssuedApiKey(issued.keyId(), issued.secret(), name, role.wireName(), List.copyOf(accounts));
    }

    @GetMapping("/v1/api-keys")
    @Operation(operationId = "listApiKeys", summary = "Every key in the order issued, never a secret",
            description = "Roles: admin.")
    @Refusals(ErrorCode.FORBIDDEN)
    Page<ApiKeyView> list(@RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor,
                          Caller caller) {
        caller.require(Role.ADMIN);
        PageRequest page = PageRequest.of(limit, cursor);
        List<KeyRecord> found = keys.list(page.cursor() == null ? null : keyCursor(page.cursor()), page.limit() + 1);
        boolean more = found.size() > page.limit();
        List<KeyRecord> shown = more ? found.subList(0, page.limit()) : found;
        KeyRecord last = shown.isEmpty() ? null : shown.get(shown.size() - 1);
        return new Page<>(shown.stream().map(ApiKeyController::view).toList(),
                more ? PageRequest.encode(last.createdAt() + CURSOR_SEPARATOR + last.keyId()) : null);
    }

    @PostMapping("/v1/api-keys/{keyId}/revoke")
    @Operation(operationId = "revokeApiKey", summary = "Revoke a key: every secret of it is refused from now on",
            description = "Roles: admin.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.UNKNOWN_API_KEY, ErrorCode.API_KEY_REVOKED, ErrorCode.LAST_ADMIN_KEY})
    ApiKeyView revoke(@PathVariable String keyId, Caller caller) {
        caller.require(Role.ADMIN);
        return view(keys.revoke(keyId, origin()));
    }

    @PostMapping("/v1/api-keys/{keyId}/rotate")
    @Operation(operationId = "rotateApiKey",
            summary = "Give a key a new secret, shown once; the replaced one works until the grace period ends",
            description = "Roles: admin.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.MISSING_FIELD, ErrorCode.INVALID_FIELD, ErrorCode.UNKNOWN_API_KEY,
            ErrorCode.API_KEY_REVOKED})
    RotatedApiKey rotate(@PathVariable String keyId, @RequestBody RotateApiKey request, Caller caller) {
        caller.require(Role.ADMIN);
        Duration grace = gracePeriod(RequestFields.requiredText(request.gracePeriod(), "gracePeriod"));
        ApiKeyStore.RotatedKey rotated = keys.rotate(keyId, grace, origin());
        KeyRecord key = rotated.key();
        return new RotatedApiKey(key.keyId(), rotated.secret(), key.name(), key.role().wireName(), key.accountIds(),
                rotated.replacedSecretValidUntil());
    }

    @GetMapping("/v1/api-keys/{keyId}/changes")
    @Operation(operationId = "listApiKeyChanges", summary = "Who issued, rotated and revoked a key, and when",
            description = "Roles: admin, auditor.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.UNKNOWN_API_KEY})
    Page<ApiKeyChangeView> changes(@PathVariable String keyId, @RequestParam(required = false) Integer limit,
                                   @RequestParam(required = false) String cursor, Caller caller) {
        caller.require(Role.ADMIN, Role.AUDITOR);
        PageRequest page = PageRequest.of(limit, cursor);
        if (keys.find(keyId).isEmpty()) {
            throw new ProblemException(ErrorCode.UNKNOWN_API_KEY, "no API key " + keyId);
        }
        long after;
        try {
            after = page.cursor() == null ? 0 : Long.parseLong(page.cursor());
        } catch (NumberFormatException invalid) {
            throw new ProblemException(ErrorCode.MALFORMED_REQUEST, "cursor is not one this API gave out");
        }
        List<ApiKeyStore.KeyChange> found = keys.changes(keyId, after, page.limit() + 1);
        boolean more = found.size() > page.limit();
        List<ApiKeyStore.KeyChange> shown = more ? found.subList(0, page.limit()) : found;
        return new Page<>(shown.stream().map(change -> new ApiKeyChangeView(change.keyId(), change.change(),
                change.actor(), change.requestId(), change.changedAt(), change.previousSecretValidUntil())).toList(),
                more ? PageRequest.encode(Long.toString(shown.get(shown.size() - 1).changeId())) : null);
    }

    @GetMapping("/v1/me")
    @Operation(operationId = "getMe", summary = "The key this request is made with", description = "Roles: any.")
    Me me(Caller caller) {
        KeyRecord key = keys.find(caller.keyId())
                .orElseThrow(() -> new ProblemException(ErrorCode.UNAUTHORIZED, "unknown or revoked API key"));
        return new Me(key.keyId(), key.name(), key.role().wireName(), key.accountIds());
    }

    private static ApiKeyStore.KeyCursor keyCursor(String cursor) {
        int split = cursor.indexOf(CURSOR_SEPARATOR);
        try {
            return new ApiKeyStore.KeyCursor(Instant.parse(cursor.substring(0, split)), cursor.substring(split + 1));
        } catch (RuntimeException invalid) {
            throw new ProblemException(ErrorCode.MALFORMED_REQUEST, "cursor is not one this API gave out");
        }
    }

    private static Duration gracePeriod(String text) {
        String bounds = "gracePeriod is an ISO-8601 duration from PT0S to " + ApiKeyStore.GRACE_PERIOD_MAX.toDays()
                + " days (P" + ApiKeyStore.GRACE_PERIOD_MAX.toDays() + "D), such as PT1H or P7D";
        Duration grace;
        try {
            grace = Duration.parse(text);
        } catch (DateTimeParseException invalid) {
            throw new ProblemException(ErrorCode.INVALID_FIELD, bounds);
        }
        if (grace.isNegative() || grace.compareTo(ApiKeyStore.GRACE_PERIOD_MAX) > 0) {
            throw new ProblemException(ErrorCode.INVALID_FIELD, bounds);
        }
        return grace;
    }

    private static ApiKeyView view(KeyRecord key) {
        return new ApiKeyView(key.keyId(), key.name(), key.role().wireName(), key.accountIds(), key.createdAt(),
                key.revoked() ? "revoked" : "active", key.revokedAt(), key.previousSecretValidUntil());
    }

    private static ApiKeyStore.ChangeOrigin origin() {
        CommandOrigin origin = CommandOrigin.current();
        return new ApiKeyStore.ChangeOrigin(origin.actor(), origin.requestId());
    }
}
