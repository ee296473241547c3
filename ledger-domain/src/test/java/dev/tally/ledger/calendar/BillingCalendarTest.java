package dev.tally.ledger.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

// Goal: every instant falls in exactly one monthly period [start, end), anchored at 00:00 UTC, short months included.
class BillingCalendarTest {

    @ParameterizedTest(name = "anchor 1: {0} is in [{1}, {2})")
    @CsvSource({
        "2026-03-10T12:00:00Z,           2026-03-01T00:00:00Z, 2026-04-01T00:00:00Z",
        "2026-03-01T00:00:00Z,           2026-03-01T00:00:00Z, 2026-04-01T00:00:00Z",
        "2026-02-28T23:59:59.999999999Z, 2026-02-01T00:00:00Z, 2026-03-01T00:00:00Z",
        "2026-04-01T00:00:00Z,           2026-04-01T00:00:00Z, 2026-05-01T00:00:00Z",
        "2026-12-31T23:59:59Z,           2026-12-01T00:00:00Z, 2027-01-01T00:00:00Z",
        "2027-01-01T00:00:00Z,           2027-01-01T00:00:00Z, 2027-02-01T00:00:00Z"
    })
    void canFindPeriodsAnchoredOnTheFirst(String instant, String start, String end) {
        assertPeriod(1, instant, start, end);
    }

    @ParameterizedTest(name = "anchor 15: {0} is in [{1}, {2})")
    @CsvSource({
        "2026-03-10T12:00:00Z,           2026-02-15T00:00:00Z, 2026-03-15T00:00:00Z",
        "2026-03-14T23:59:59.999999999Z, 2026-02-15T00:00:00Z, 2026-03-15T00:00:00Z",
        "2026-03-15T00:00:00Z,           2026-03-15T00:00:00Z, 2026-04-15T00:00:00Z",
        "2026-03-31T23:00:00Z,           2026-03-15T00:00:00Z, 2026-04-15T00:00:00Z",
        "2026-01-10T00:00:00Z,           2025-12-15T00:00:00Z, 2026-01-15T00:00:00Z",
        "2026-02-20T00:00:00Z,           2026-02-15T00:00:00Z, 2026-03-15T00:00:00Z"
    })
    void canFindPeriodsAnchoredMidMonth(String instant, String start, String end) {
        assertPeriod(15, instant, start, end);
    }

    @ParameterizedTest(name = "anchor 31: {0} is in [{1}, {2})")
    @CsvSource({
        "2026-02-15T00:00:00Z,           2026-01-31T00:00:00Z, 2026-02-28T00:00:00Z",
        "2026-02-27T23:59:59.999999999Z, 2026-01-31T00:00:00Z, 2026-02-28T00:00:00Z",
        "2026-02-28T00:00:00Z,           2026-02-28T00:00:00Z, 2026-03-31T00:00:00Z",
        "2026-03-30T23:59:59Z,           2026-02-28T00:00:00Z, 2026-03-31T00:00:00Z",
        "2026-03-31T00:00:00Z,           2026-03-31T00:00:00Z, 2026-04-30T00:00:00Z",
        "2026-04-29T23:59:59.999999999Z, 2026-03-31T00:00:00Z, 2026-04-30T00:00:00Z",
        "2026-04-30T00:00:00Z,           2026-04-30T00:00:00Z, 2026-05-31T00:00:00Z",
        "2026-05-01T00:00:00Z,           2026-04-30T00:00:00Z, 2026-05-31T00:00:00Z",
        "2028-02-28T12:00:00Z,           2028-01-31T00:00:00Z, 2028-02-29T00:00:00Z",
        "2028-02-29T00:00:00Z,           2028-02-29T00:00:00Z, 2028-03-31T00:00:00Z",
        "2026-12-31T00:00:00Z,           2026-12-31T00:00:00Z, 2027-01-31T00:00:00Z",
        "2027-01-15T00:00:00Z,           2026-12-31T00:00:00Z, 2027-01-31T00:00:00Z"
    })
    void canFindPeriodsAnchoredOnTheLastDayOfShortMonths(String instant, String start, String end) {
        assertPeriod(31, instant, start, end);
    }

    @Test
    void canChainPeriodsWithoutGapsOrOverlapsForEveryAnchor() {
        for (int anchor = BillingCalendar.MIN_ANCHOR_DAY; anchor <= BillingCalendar.MAX_ANCHOR_DAY; anchor++) {
            BillingCalendar calendar = new BillingCalendar(anchor);
            BillingPeriod period = calendar.periodContaining(Instant.parse("2026-01-20T00:00:00Z"));
            for (int month = 0; month < 36; month++) {
                BillingPeriod next = calendar.periodContaining(period.end());
                assertThat(next.start()).as("anchor %d, period after %s", anchor, period).isEqualTo(period.end());
                assertThat(calendar.periodContaining(period.end().minusNanos(1))).isEqualTo(period);
                assertThat(next.end()).isAfter(next.start());
                period = next;
            }
        }
    }

    @Test
    void canTellWhetherAPeriodContainsAnInstantStartIncludedEndExcluded() {
        BillingPeriod march = new BillingCalendar(1).periodContaining(Instant.parse("2026-03-10T00:00:00Z"));
        assertThat(march.contains(Instant.parse("2026-03-01T00:00:00Z"))).isTrue();
        assertThat(march.contains(Instant.parse("2026-03-31T23:59:59.999999999Z"))).isTrue();
        assertThat(march.contains(Instant.parse("2026-04-01T00:00:00Z"))).isFalse();
        assertThat(march.contains(Instant.parse("2026-02-28T23:59:59.999999999Z"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 32})
    void cannotAnchorOutsideOneToThirtyOne(int anchorDay) {
        assertThatThrownBy(() -> new BillingCalendar(anchorDay)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertPeriod(int anchorDay, String instant, String start, String end) {
        BillingPeriod period = new BillingCalendar(anchorDay).periodContaining(Instant.parse(instant));
        assertThat(period).isEqualTo(new BillingPeriod(Instant.parse(start), Instant.parse(end)));
        assertThat(period.contains(Instant.parse(instant))).isTrue();
    }
}
