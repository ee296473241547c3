package dev.tally.server.web.auth;

import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.server.web.error.ProblemException;
import java.util.Arrays;
import java.util.Set;

/** Who is calling: the API key's id, role and, for a client key, the accounts it may touch. */
public record Caller(String keyId, Role role, Set<String> accountIds) {

    public Caller {
        accountIds = Set.copyOf(accountIds);
    }

    /** Refuses the request with 403 unless the caller has one of {@code roles}. */
    public void require(Role... roles) {
        if (!Arrays.asList(roles).contains(role)) {
            throw new ProblemException(ErrorCode.FORBIDDEN, "the " + role.wireName() + " role cannot do this");
        }
    }

    /** Whether the caller may see or act on {@code accountId}: every role but client sees all. */
    public boolean canAccess(String accountId) {
        return role != Role.CLIENT || accountIds.contains(accountId);
    }

    /** "Scoped" endpoints: any role, but a client only for its own accounts. */
    public void requireAccount(String accountId) {
        if (!canAccess(accountId)) {
            throw new ProblemException(ErrorCode.FORBIDDEN, "this key is not for account " + accountId);
        }
    }
}
