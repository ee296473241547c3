package dev.tally.replay.rerate;

import dev.tally.ledger.api.plan.PlanPublished;
import dev.tally.ledger.calendar.BillingPeriod;
import dev.tally.ledger.plan.PlanCatalog;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The ledger's catalogue, except that any price question the account asks about its own plan at an
 * instant inside the rerated period is answered by the chosen plan.
 *
 * <p>The account asks exactly two such questions (see {@code Account}): the version in force at a
 * usage event's timestamp, which rates the usage, and the version in force at the last instant of
 * the period being closed, whose minimum commitment the invoice trues up to. So the rerated period's
 * own usage and its minimum are priced by the chosen plan, while everything else keeps the real
 * prices: earlier periods, and late usage of earlier periods billed on the rerated invoice.
 *
 * <p>Which version of the chosen plan answers: the fixed version when one was asked for; the
 * account's own plan without a version answers as the ledger did (so the re-run reproduces the real
 * invoice); another plan answers with its version in force at that instant, or, for a plan that only
 * took effect later, with its first version.
 */
final class SubstitutedPlanCatalog implements PlanCatalog {

    private final RecordedPlanCatalog ledger;
    private final String accountPlanId;
    private final BillingPeriod period;
    private final PlanSpec chosen;

    SubstitutedPlanCatalog(RecordedPlanCatalog ledger, String accountPlanId, BillingPeriod period, PlanSpec chosen) {
        this.ledger = ledger;
        this.accountPlanId = accountPlanId;
        this.period = period;
        this.chosen = chosen;
        if (chosenVersions().isEmpty()) {
            throw new IllegalArgumentException("the ledger has no plan " + chosen.planId());
        }
        chosen.fixedVersion().ifPresent(version -> {
            if (chosenVersions().stream().noneMatch(published -> published.version() == version)) {
                throw new IllegalArgumentException("plan " + chosen.planId() + " has no version " + version);
            }
        });
    }

    @Override
    public List<PlanPublished> versionsOf(String planId) {
        return ledger.versionsOf(planId);
    }

    @Override
    public Optional<PlanPublished> versionInForce(String planId, Instant instant) {
        if (!accountPlanId.equals(planId) || !period.contains(instant)) {
            return ledger.versionInForce(planId, instant);
        }
        if (chosen.version() != null) {
            return chosenVersions().stream().filter(version -> version.version() == chosen.version()).findFirst();
        }
        if (chosen.planId().equals(accountPlanId)) {
            return ledger.versionInForce(planId, instant);
        }
        Optional<PlanPublished> inForce = chosenVersions().stream()
                .filter(version -> !version.effectiveFrom().isAfter(instant))
                .max(Comparator.comparingInt(PlanPublished::version));
        return inForce.isPresent() ? inForce : Optional.of(chosenVersions().get(0));
    }

    private List<PlanPublished> chosenVersions() {
        return ledger.allVersionsOf(chosen.planId());
    }
}
