package dev.tally.ledger.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

// Goal: a usage fingerprint tells different content apart however its text is shaped, and equal content alike.
class FingerprintTest {

    private static final Instant TS = Instant.parse("2026-03-09T10:00:00Z");

    @Test
    void cannotConfuseAPropertyValueHoldingSeparatorsWithTwoProperties() {
        assertThat(Fingerprint.of("m", BigDecimal.ONE, TS, Map.of("a", "x;b=String:y")))
                .isNotEqualTo(Fingerprint.of("m", BigDecimal.ONE, TS, Map.of("a", "x", "b", "y")));
        assertThat(Fingerprint.of("ab", "c")).isNotEqualTo(Fingerprint.of("a", "bc"));
    }

    @Test
    void canRecogniseEqualContentWrittenDifferently() {
        assertThat(Fingerprint.of("m", new BigDecimal("1.50"), TS, Map.of("n", new BigDecimal("3.0"))))
                .isEqualTo(Fingerprint.of("m", new BigDecimal("1.5"), TS, Map.of("n", 3)));
        assertThat(Fingerprint.of("m", BigDecimal.ONE, TS, Map.of("n", "3")))
                .isNotEqualTo(Fingerprint.of("m", BigDecimal.ONE, TS, Map.of("n", 3)));
    }
}
