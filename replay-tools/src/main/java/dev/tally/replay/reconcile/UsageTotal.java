package dev.tally.replay.reconcile;

import java.math.BigDecimal;

/** A quantity summed exactly over {@code events} usage events. */
record UsageTotal(BigDecimal quantity, long events) {

    static final UsageTotal NONE = new UsageTotal(BigDecimal.ZERO, 0);

    UsageTotal plus(BigDecimal more) {
        return new UsageTotal(quantity.add(more), events + 1);
    }

    boolean agreesWith(UsageTotal other) {
        return events == other.events && quantity.compareTo(other.quantity) == 0;
    }
}
