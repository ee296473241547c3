package dev.tally.server.web.position;

import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * Health is not UP while any account's views are stalled: the ledger still serves every other
 * account, so the status is {@link #DEGRADED}, which {@code application.yml} ranks below UP and
 * answers with HTTP 200 (a probe must not restart or unroute a process for one account's event).
 * Readiness does not include it. Where details are shown, they name each stalled account with the
 * position its views stopped at.
 */
@Component
public class StalledAccountsHealthIndicator implements HealthIndicator {

    public static final Status DEGRADED = new Status("DEGRADED", "the views of some accounts are stalled");

    private final StalledAccounts stalled;

    public StalledAccountsHealthIndicator(StalledAccounts stalled) {
        this.stalled = stalled;
    }

    @Override
    public Health health() {
        long count = stalled.count();
        if (count == 0) {
            return Health.up().build();
        }
        List<Map<String, Object>> accounts = stalled.listed().stream().map(StalledAccounts.Stall::members).toList();
        return Health.status(DEGRADED).withDetail("stalledCount", count).withDetail("stalledAccounts", accounts).build();
    }
}
