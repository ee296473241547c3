package dev.tally.ledger.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.axonframework.common.DateTimeUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoInstantsTest {

    private static final long YEAR_ZERO = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long YEAR_TEN_THOUSAND = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();

    /** Nanos of every shape ISO_INSTANT distinguishes: none, milli, micro and nano precision. */
    private static int nanos(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1_000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
        };
    }

    @Test
    void formatsExactlyAsIsoInstantAndParsesBack() {
        Random random = new Random(20261125);
        for (int i = 0; i < 200_000; i++) {
            Instant instant = Instant.ofEpochSecond(YEAR_ZERO + (long) (random.nextDouble() * (YEAR_TEN_THOUSAND - YEAR_ZERO)),
                    nanos(random));
            String expected = DateTimeFormatter.ISO_INSTANT.format(instant);
            assertThat(IsoInstants.format(instant)).isEqualTo(expected);
            assertThat(IsoInstants.parseCanonical(expected)).isEqualTo(instant);
        }
    }

    /** The event store's timestamp column: Axon's own formatter is the oracle, and the text reads back truncated to millis. */
    @Test
    void formatsMillisExactlyAsAxonsEventStoreAndParsesBack() {
        Random random = new Random(20261206);
        for (int i = 0; i < 200_000; i++) {
            Instant instant = Instant.ofEpochSecond(YEAR_ZERO + (long) (random.nextDouble() * (YEAR_TEN_THOUSAND - YEAR_ZERO)),
                    nanos(random));
            String expected = DateTimeUtils.formatInstant(instant);
            assertThat(IsoInstants.formatMillis(instant)).isEqualTo(expected);
            assertThat(IsoInstants.parseCanonical(expected)).isEqualTo(DateTimeUtils.parseInstant(expected));
        }
        for (String text : new String[]{"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2024-02-29T12:00:00.000999Z"}) {
            assertThat(IsoInstants.formatMillis(Instant.parse(text))).isEqualTo(DateTimeUtils.formatInstant(Instant.parse(text)));
        }
        assertThat(IsoInstants.formatMillis(Instant.parse("+10000-01-01T00:00:00Z"))).isNull();
        assertThat(IsoInstants.formatMillis(Instant.parse("-0001-12-31T23:59:59Z"))).isNull();
    }

    @Test
    void readsEveryFractionLengthAsInstantParseDoes() {
        Random random = new Random(7);
        for (int digits = 1; digits <= 9; digits++) {
            for (int i = 0; i < 1_000; i++) {
                String fraction = String.format("%09d", random.nextInt(1_000_000_000)).substring(0, digits);
                String text = "2026-%02d-%02dT%02d:%02d:%02d.%sZ".formatted(1 + random.nextInt(12), 1 + random.nextInt(28),
                        random.nextInt(24), random.nextInt(60), random.nextInt(60), fraction);
                assertThat(IsoInstants.parseCanonical(text)).as(text).isEqualTo(Instant.parse(text));
            }
        }
    }

    @Test
    void theEdgesOfTheCanonicalRange() {
        for (String text : new String[]{"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00Z",
                "2024-02-29T12:00:00Z", "1969-12-31T23:59:59.000000001Z"}) {
            assertThat(IsoInstants.parseCanonical(text)).as(text).isEqualTo(Instant.parse(text));
            assertThat(IsoInstants.format(Instant.parse(text))).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(Instant.parse(text)));
        }
        Instant beyond = Instant.parse("+10000-01-01T00:00:00Z");
        assertThat(IsoInstants.format(beyond)).isEqualTo("+10000-01-01T00:00:00Z");
        for (Instant outside : new Instant[]{Instant.parse("-0001-12-31T00:00:00Z"), Instant.MIN, Instant.MAX,
                Instant.parse("+10000-01-01T00:00:00Z").minusNanos(1)}) {
            assertThat(IsoInstants.format(outside)).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(outside));
        }
    }

    /** Anything but the canonical form is left to the general parser (which accepts or refuses it). */
    @ParameterizedTest
    @ValueSource(strings = {"2026-11-25T16:20:01+01:00", "2026-11-25T16:20:01.Z", "2026-11-25T16:20Z", "2026-02-30T00:00:00Z",
            "2026-11-25T24:00:00Z", "2026-11-25T16:20:60Z", "2026-13-01T00:00:00Z", "2026-11-25t16:20:01z",
            "2026-11-25T16:20:01.1234567890Z", "+2026-11-25T16:20:01Z", "2026-11-25 16:20:01Z", "2026-1a-25T16:20:01Z",
            "2026-11-25T16:20:01,5Z", ""})
    void nonCanonicalTextIsNotParsedHere(String text) {
        assertThat(IsoInstants.parseCanonical(text)).isNull();
    }

    record Stamped(Instant at, Map<Instant, String> byPeriod) {
    }

    @Test
    void theLedgerMapperWritesWhatTheJavaTimeModuleWroteAndReadsItsOtherForms() throws Exception {
        ObjectMapper plain = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        ObjectMapper ledger = LedgerJson.newMapper();
        Map<Instant, String> periods = new TreeMap<>(Map.of(Instant.parse("2026-10-01T00:00:00Z"), "october",
                Instant.parse("2026-11-01T00:00:00.000001Z"), "november"));
        Stamped stamped = new Stamped(Instant.parse("2026-11-25T16:20:01.512Z"), periods);

        String written = ledger.writeValueAsString(stamped);

        assertThat(written).isEqualTo(plain.writeValueAsString(stamped));
        assertThat(ledger.readValue(written, Stamped.class)).isEqualTo(stamped);
        assertThat(ledger.readValue("{\"at\":\"2026-11-25T17:20:01.512+01:00\",\"byPeriod\":{}}", Stamped.class).at())
                .isEqualTo(stamped.at());
        assertThat(ledger.readValue("{\"at\":" + stamped.at().getEpochSecond() + ".512,\"byPeriod\":{}}", Stamped.class).at())
                .isEqualTo(stamped.at());
        assertThatThrownBy(() -> ledger.readValue("{\"at\":\"2026-02-30T00:00:00Z\"}", Stamped.class))
                .isInstanceOf(InvalidFormatException.class);
    }
}
