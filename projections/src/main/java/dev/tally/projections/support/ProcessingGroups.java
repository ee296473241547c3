package dev.tally.projections.support;

import java.util.List;

/**
 * The projection processor. The balance, usage and journal projections share one processor so
 * that every event is fetched, deserialized and committed once for all three; each keeps its
 * own tables, redelivery guard and reset handler, and a reset rebuilds all three together.
 */
public final class ProcessingGroups {

    public static final String LEDGER_PROJECTIONS = "ledger-projections";
    public static final List<String> ALL = List.of(LEDGER_PROJECTIONS);

    private ProcessingGroups() {
    }
}
