package dev.tally.server.invoice.document;

import dev.tally.ledger.calendar.BillingCalendar;
import dev.tally.ledger.calendar.BillingPeriod;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Dates as the invoice prints them, in UTC like the billing calendar: "1 Mar 2026 – 31 Mar 2026". */
final class InvoiceDates {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM uuuu", Locale.ENGLISH);
    private static final String EN_DASH = "\u2013";

    private InvoiceDates() {
    }

    static String day(Instant instant) {
        return instant == null ? "" : DAY.format(instant.atOffset(ZoneOffset.UTC));
    }

    /** A period [start, end) shown by its first and last day, since readers take both dates as included. */
    static String period(Instant start, Instant endExclusive) {
        if (endExclusive == null || !endExclusive.isAfter(start)) {
            return day(start);
        }
        return day(start) + " " + EN_DASH + " " + day(endExclusive.minusNanos(1));
    }

    /**
     * The earlier billing period that starts at {@code start}, for a late usage line, which
     * carries only that start. Periods are monthly on the account's anchor day, so the anchor
     * read off the invoice's own period gives the earlier period's end; where the start does not
     * fit that calendar, the line says only where its period began.
     */
    static String earlierPeriod(Instant start, Instant invoicePeriodStart, Instant invoicePeriodEnd) {
        BillingPeriod earlier = new BillingCalendar(anchorDay(invoicePeriodStart, invoicePeriodEnd))
                .periodContaining(start);
        return earlier.start().equals(start) ? period(earlier.start(), earlier.end()) : "from " + day(start);
    }

    // A period boundary on the last day of a month may be an anchor clamped to a short month
    // (anchor 31 gives 30 April); a boundary before the month's end is the anchor itself.
    private static int anchorDay(Instant periodStart, Instant periodEnd) {
        for (Instant boundary : new Instant[] {periodStart, periodEnd}) {
            LocalDate date = boundary.atOffset(ZoneOffset.UTC).toLocalDate();
            if (date.getDayOfMonth() < date.lengthOfMonth()) {
                return date.getDayOfMonth();
            }
        }
        return BillingCalendar.MAX_ANCHOR_DAY;
    }
}
