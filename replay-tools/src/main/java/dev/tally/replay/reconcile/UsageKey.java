package dev.tally.replay.reconcile;

/** Usage of one meter by one customer: the account id is Orb's external customer id, the meter its event name. */
record UsageKey(String accountId, String meter) implements Comparable<UsageKey> {

    @Override
    public int compareTo(UsageKey other) {
        int byAccount = accountId.compareTo(other.accountId);
        return byAccount != 0 ? byAccount : meter.compareTo(other.meter);
    }
}
