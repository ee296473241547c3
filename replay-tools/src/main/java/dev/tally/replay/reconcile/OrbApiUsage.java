package dev.tally.replay.reconcile;

import dev.tally.integrations.orb.OrbClient;
import dev.tally.integrations.orb.OrbIdempotencyKeys;
import dev.tally.integrations.orb.OrbRejected;
import dev.tally.integrations.orb.OrbUnavailable;
import dev.tally.integrations.orb.OrbStoredEvent;
import dev.tally.integrations.orb.OrbUsageEvents;
import dev.tally.replay.ToolFailure;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Orb's usage for the ledger's events, through Orb's event search: the keys the usage sync gave
 * each event, 500 per request, within the month. An event Orb lacks is simply not counted, so a
 * lost event shows as a shortfall; deprecated events do not count (Orb does not bill them).
 */
final class OrbApiUsage implements OrbUsage {

    private final OrbClient orb;
    private final ReconcilePeriod period;

    OrbApiUsage(OrbClient orb, ReconcilePeriod period) {
        this.orb = orb;
        this.period = period;
    }

    @Override
    public Map<UsageKey, UsageTotal> totals(Map<String, List<String>> usageKeysByAccount) {
        Map<UsageKey, UsageTotal> totals = new TreeMap<>();
        for (Map.Entry<String, List<String>> account : usageKeysByAccount.entrySet()) {
            List<String> keys = new ArrayList<>();
            for (String ledgerKey : account.getValue()) {
                keys.add(OrbIdempotencyKeys.usageEvent(account.getKey(), ledgerKey));
            }
            for (int from = 0; from < keys.size(); from += OrbClient.SEARCH_EVENT_IDS_MAX) {
                List<String> chunk = keys.subList(from, Math.min(keys.size(), from + OrbClient.SEARCH_EVENT_IDS_MAX));
                for (OrbStoredEvent event : search(chunk)) {
                    if (!event.deprecated()) {
                        Object quantity = event.properties().get(OrbUsageEvents.QUANTITY_PROPERTY);
                        BigDecimal amount = quantity instanceof BigDecimal exact ? exact : BigDecimal.ZERO;
                        totals.merge(new UsageKey(event.externalCustomerId(), event.eventName()),
                                UsageTotal.NONE.plus(amount), (known, more) -> known.plus(amount));
                    }
                }
            }
        }
        return totals;
    }

    private List<OrbStoredEvent> search(List<String> keys) {
        try {
            return orb.searchEvents(keys, period.start(), period.end());
        } catch (OrbUnavailable | OrbRejected failure) {
            throw new ToolFailure("cannot read Orb's events: " + failure.getMessage(), failure);
        }
    }
}
