package dev.tally.ledger.plan;

import dev.tally.ledger.api.plan.PlanPublished;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Read access to published plan versions for the account aggregate, which rates usage by the
 * version in force at the usage's timestamp. The server backs it with the event store.
 */
public interface PlanCatalog {

    /** All versions of a plan in version order; empty when the plan does not exist. */
    List<PlanPublished> versionsOf(String planId);

    default boolean exists(String planId) {
        return !versionsOf(planId).isEmpty();
    }

    /** The version in force at {@code instant}: the highest version whose effectiveFrom is not after it. */
    default Optional<PlanPublished> versionInForce(String planId, Instant instant) {
        return versionsOf(planId).stream()
                .filter(version -> !version.effectiveFrom().isAfter(instant))
                .max(Comparator.comparingInt(PlanPublished::version));
    }

    default Optional<PlanPublished> latest(String planId) {
        List<PlanPublished> versions = versionsOf(planId);
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
    }
}
