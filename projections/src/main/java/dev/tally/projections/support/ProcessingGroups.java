package dev.tally.projections.support;

import java.util.List;

/** The names of the projection processors; reads that wait for a position name one of these. */
public final class ProcessingGroups {

    public static final String BALANCES = "balances";
    public static final String USAGE = "usage";
    public static final String JOURNAL = "journal";
    public static final List<String> ALL = List.of(BALANCES, USAGE, JOURNAL);

    private ProcessingGroups() {
    }
}
