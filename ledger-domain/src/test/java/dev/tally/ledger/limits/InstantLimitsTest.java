package dev.tally.ledger.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

// Goal: instants are taken within the years 2000 to 2999 and refused outside, at both edges.
class InstantLimitsTest {

    @Test
    void takesTheFirstAndLastInstantOfTheRange() {
        assertThat(InstantLimits.violation(Instant.parse("2000-01-01T00:00:00Z"))).isEmpty();
        assertThat(InstantLimits.violation(Instant.parse("2999-12-31T23:59:59.999999999Z"))).isEmpty();
    }

    @Test
    void refusesWhatLiesOutside() {
        for (String outside : new String[]{"1999-12-31T23:59:59.999999999Z", "3000-01-01T00:00:00Z", "0001-01-01T00:00:00Z",
                "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z"}) {
            assertThat(InstantLimits.violation(Instant.parse(outside))).as(outside)
                    .contains("must lie within the years 2000 to 2999");
        }
    }
}
