package dev.tally.replay.reconcile;

import java.util.List;
import java.util.Map;

/** Orb's side: the usage it holds for the ledger's events, summed per customer and meter. */
interface OrbUsage {

    /** Looks up the given ledger usage events (idempotency keys per account) in Orb and sums what it has of them. */
    Map<UsageKey, UsageTotal> totals(Map<String, List<String>> usageKeysByAccount);
}
