package dev.tally.ledger.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
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

    /**
     * Fingerprints are kept in snapshots and compared with a retry's, so a faster implementation must
     * give exactly the digests the first one gave: the reference below is that first implementation.
     */
    @Test
    void givesTheDigestsOfTheFirstImplementation() {
        Random random = new Random(20261206);
        for (int i = 0; i < 20_000; i++) {
            Object[] parts = {"meter-" + random.nextInt(50), randomDecimal(random), randomInstant(random),
                    randomProperties(random)};
            assertThat(Fingerprint.of(parts)).as("parts %s", java.util.Arrays.deepToString(parts))
                    .isEqualTo(Reference.of(parts));
        }
        assertThat(Fingerprint.of("p", null)).isEqualTo(Reference.of("p", null));
        assertThat(Fingerprint.of(Instant.parse("+12026-01-01T00:00:00Z"), Instant.parse("-0001-12-31T23:59:59.5Z")))
                .isEqualTo(Reference.of(Instant.parse("+12026-01-01T00:00:00Z"), Instant.parse("-0001-12-31T23:59:59.5Z")));
    }

    private static BigDecimal randomDecimal(Random random) {
        return BigDecimal.valueOf(random.nextLong() % 1_000_000_000L, random.nextInt(12) - 2);
    }

    private static Instant randomInstant(Random random) {
        long seconds = Math.floorMod(random.nextLong(), 253_402_300_800L);
        int nanos = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
        };
        return Instant.ofEpochSecond(seconds, nanos);
    }

    private static Map<String, Object> randomProperties(Random random) {
        Map<String, Object> properties = new HashMap<>();
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
            Object value = switch (random.nextInt(5)) {
                case 0 -> "v" + random.nextInt(100) + ";:{}";
                case 1 -> random.nextInt();
                case 2 -> randomDecimal(random);
                case 3 -> Map.of("nested", random.nextBoolean());
                default -> random.nextBoolean();
            };
            properties.put("k" + random.nextInt(10), value);
        }
        return properties;
    }

    /** The first implementation, verbatim in behaviour: the oracle for the one in use. */
    private static final class Reference {

        static String of(Object... parts) {
            StringBuilder text = new StringBuilder();
            for (Object part : parts) {
                lengthPrefixed(text, render(part));
            }
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
                return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
            } catch (java.security.NoSuchAlgorithmException impossible) {
                throw new IllegalStateException(impossible);
            }
        }

        private static String render(Object part) {
            if (part == null) {
                return "\u0000";
            }
            if (part instanceof BigDecimal decimal) {
                return decimal.signum() == 0 ? "0" : decimal.stripTrailingZeros().toPlainString();
            }
            if (part instanceof Map<?, ?> map) {
                StringBuilder rendered = new StringBuilder("{");
                Map<String, Object> keys = new TreeMap<>();
                map.forEach((key, value) -> keys.put(String.valueOf(key), value));
                new TreeMap<>(keys).forEach((key, value) -> {
                    lengthPrefixed(rendered, key);
                    lengthPrefixed(rendered, render(value));
                });
                return rendered.append('}').toString();
            }
            if (part instanceof Number number) {
                return render(new BigDecimal(number.toString()));
            }
            return part.getClass().getSimpleName() + ':' + part;
        }

        private static void lengthPrefixed(StringBuilder text, String piece) {
            text.append(piece.length()).append(':').append(piece);
        }
    }
}
