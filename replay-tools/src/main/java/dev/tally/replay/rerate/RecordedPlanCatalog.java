package dev.tally.replay.rerate;

import dev.tally.ledger.api.plan.PlanPublished;
import dev.tally.ledger.plan.PlanCatalog;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The plan versions the ledger holds, as the ledger knew them at the re-run's "now": a version
 * published after the original command was handled is hidden from its re-run. Without that, usage
 * timestamped a little in the future could be rated by a version published between its recording
 * and its timestamp, which the ledger had not seen.
 */
final class RecordedPlanCatalog implements PlanCatalog {

    private final Map<String, List<PlanPublished>> versionsByPlan;
    private final Clock clock;

    RecordedPlanCatalog(Map<String, List<PlanPublished>> versionsByPlan, Clock clock) {
        this.versionsByPlan = Map.copyOf(versionsByPlan);
        this.clock = clock;
    }

    @Override
    public List<PlanPublished> versionsOf(String planId) {
        return allVersionsOf(planId).stream()
                .filter(version -> !version.publishedAt().isAfter(clock.instant()))
                .toList();
    }

    /** Every version the ledger holds today, whenever published. */
    List<PlanPublished> allVersionsOf(String planId) {
        return versionsByPlan.getOrDefault(planId, List.of());
    }
}
