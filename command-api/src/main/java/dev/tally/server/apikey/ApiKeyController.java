package dev.tally.server.apikey;

import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.server.web.auth.ApiKeyStore;
import dev.tally.server.web.auth.Caller;
import dev.tally.server.web.auth.Role;
import dev.tally.server.web.error.ProblemException;
import dev.tally.server.web.json.RequestFields;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /v1/api-keys}: admins issue keys; the secret is in this answer only. */
@ConditionalOnTallyRole(TallyRole.API)
@RestController
class ApiKeyController {

    static final int MAX_ACCOUNTS_PER_KEY = 1000;

    record CreateApiKey(String name, String role, List<String> accountIds) {
    }

    record IssuedApiKey(String id, String key, String name, String role, List<String> accountIds) {
    }

    private final ApiKeyStore keys;

    ApiKeyController(ApiKeyStore keys) {
        this.keys = keys;
    }

    @PostMapping("/v1/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
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
        ApiKeyStore.IssuedKey issued = keys.issue(name, role, accounts);
        return new IssuedApiKey(issued.keyId(), issued.secret(), name, role.wireName(), List.copyOf(accounts));
    }
}
