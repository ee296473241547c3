package dev.tally.replay.reconcile;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A calendar month in UTC, {@code [start, end)}: usage counts by its timestamp, invoices by the
 * start of the period they bill (accounts anchored on another day still bill one period a month).
 */
record ReconcilePeriod(YearMonth month, Instant start, Instant end) {

    static ReconcilePeriod parse(String text) {
        try {
            YearMonth month = YearMonth.parse(text);
            return new ReconcilePeriod(month, month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC),
                    month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException invalid) {
            throw new IllegalArgumentException("--period takes a month, e.g. 2026-10, not " + text);
        }
    }

    boolean contains(Instant instant) {
        return !instant.isBefore(start) && instant.isBefore(end);
    }

    @Override
    public String toString() {
        return month.toString();
    }
}
