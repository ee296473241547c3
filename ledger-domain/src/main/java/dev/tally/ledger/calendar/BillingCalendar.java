package dev.tally.ledger.calendar;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * Monthly billing periods anchored at 00:00 UTC on an anchor day. An anchor day past the end
 * of a short month falls on that month's last day (anchor 31 gives 30 April, 28 or 29 February).
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
public final class BillingCalendar {

    public static final int MIN_ANCHOR_DAY = 1;
    public static final int MAX_ANCHOR_DAY = 31;

    private final int anchorDay;

    @JsonCreator
    public BillingCalendar(@JsonProperty("anchorDay") int anchorDay) {
        if (anchorDay < MIN_ANCHOR_DAY || anchorDay > MAX_ANCHOR_DAY) {
            throw new IllegalArgumentException("anchor day must be 1-31: " + anchorDay);
        }
        this.anchorDay = anchorDay;
    }

    public BillingPeriod periodContaining(Instant instant) {
        YearMonth month = YearMonth.from(instant.atOffset(ZoneOffset.UTC));
        Instant anchorThisMonth = anchorIn(month);
        YearMonth startMonth = instant.isBefore(anchorThisMonth) ? month.minusMonths(1) : month;
        return new BillingPeriod(anchorIn(startMonth), anchorIn(startMonth.plusMonths(1)));
    }

    private Instant anchorIn(YearMonth month) {
        int day = Math.min(anchorDay, month.lengthOfMonth());
        return LocalDate.of(month.getYear(), month.getMonth(), day).atStartOfDay().toInstant(ZoneOffset.UTC);
    }
}
