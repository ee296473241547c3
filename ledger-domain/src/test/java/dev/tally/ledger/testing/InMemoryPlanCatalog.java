package dev.tally.ledger.testing;

import dev.tally.ledger.api.plan.MeterPrice;
import dev.tally.ledger.api.plan.PlanPublished;
import dev.tally.ledger.plan.PlanCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A plan catalogue held in memory, so that aggregate tests can rate usage without an event
 * store. Versions must be added in version order, as the plan aggregate would publish them.
 */
public final class InMemoryPlanCatalog implements PlanCatalog {

    private final Map<String, List<PlanPublished>> versionsByPlan = new ConcurrentHashMap<>();

    /** Adds a published version; its number must be the next one for its plan. */
    public InMemoryPlanCatalog add(PlanPublished version) {
        versionsByPlan.compute(version.planId(), (planId, known) -> {
            List<PlanPublished> versions = known == null ? new ArrayList<>() : new ArrayList<>(known);
            if (version.version() != versions.size() + 1) {
                throw new IllegalArgumentException("plan " + planId + " expects version " + (versions.size() + 1)
                        + ", not " + version.version());
            }
            versions.add(version);
            return List.copyOf(versions);
        });
        return this;
    }

    /** Publishes the next version of a plan without a minimum commitment; publishedAt is effectiveFrom. */
    public PlanPublished publish(String planId, String currency, Instant effectiveFrom, MeterPrice... prices) {
        PlanPublished version = new PlanPublished(planId, versionsOf(planId).size() + 1, currency, effectiveFrom, null,
                List.of(prices), effectiveFrom);
        add(version);
        return version;
    }

    @Override
    public List<PlanPublished> versionsOf(String planId) {
        return versionsByPlan.getOrDefault(planId, List.of());
    }
}
