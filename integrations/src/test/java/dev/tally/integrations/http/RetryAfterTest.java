package dev.tally.integrations.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

// Goal: Retry-After is read in both of HTTP's forms, never as a negative wait, and a malformed one as none.
class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");

    @Test
    void canReadSecondsAndHttpDates() {
        assertThat(RetryAfter.parse("3", NOW)).contains(Duration.ofSeconds(3));
        assertThat(RetryAfter.parse(" 0.5 ", NOW)).contains(Duration.ofMillis(500));
        assertThat(RetryAfter.parse("Fri, 20 Nov 2026 10:00:07 GMT", NOW)).contains(Duration.ofSeconds(7));
    }

    @Test
    void cannotAskForANegativeWait() {
        assertThat(RetryAfter.parse("-4", NOW)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("Fri, 20 Nov 2026 09:59:00 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void cannotReadWhatIsNotThere() {
        assertThat(RetryAfter.parse(null, NOW)).isEmpty();
        assertThat(RetryAfter.parse(" ", NOW)).isEmpty();
        assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
    }
}
