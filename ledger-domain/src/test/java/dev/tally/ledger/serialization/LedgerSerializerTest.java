package dev.tally.ledger.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializationException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.UnknownSerializedType;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

class LedgerSerializerTest {

    record Sample(String accountId, BigDecimal amount, Instant at, List<String> tags) {
    }

    private final Serializer axon = JacksonSerializer.builder().objectMapper(LedgerJson.newMapper()).build();
    private final LedgerSerializer ledger = LedgerSerializer.over(LedgerJson.newMapper());

    @Test
    void readsAndWritesExactlyWhatAxonsJacksonSerializerDoes() {
        Sample sample = new Sample("acct-1", new BigDecimal("0.000000000000000001"),
                Instant.parse("2026-11-26T01:02:03.456789Z"), List.of("a", "b"));
        SerializedObject<String> written = axon.serialize(sample, String.class);

        assertThat(ledger.serialize(sample, String.class).getData()).isEqualTo(written.getData());
        // Twice: the second read goes through the cached class and reader.
        for (int read = 0; read < 2; read++) {
            Sample back = ledger.deserialize(written);
            assertThat(back).isEqualTo(axon.<String, Sample>deserialize(written)).isEqualTo(sample);
            assertThat(back.amount().scale()).isEqualTo(18);
        }
    }

    @Test
    void metaDataReadsAsWithAxon() {
        SerializedObject<String> written = axon.serialize(MetaData.with("actor", "key-1").and("requestId", "r-9"),
                String.class);

        MetaData back = ledger.deserialize(written);

        assertThat(back).isEqualTo(axon.<String, MetaData>deserialize(written));
    }

    @Test
    void equalMetaDataOneAfterAnotherIsWrittenAsAxonWritesEach() {
        MetaData first = MetaData.with("actor", "key-1").and("requestId", "r-9").and("causationId", "c-1");
        MetaData equal = MetaData.with("causationId", "c-1").and("requestId", "r-9").and("actor", "key-1");
        MetaData other = first.and("requestId", "r-10");

        for (MetaData metaData : List.of(first, equal, other, first, MetaData.emptyInstance(), equal)) {
            SerializedObject<String> written = ledger.serialize(metaData, String.class);
            SerializedObject<String> expected = axon.serialize(metaData, String.class);

            assertThat(axon.<String, MetaData>deserialize(written)).isEqualTo(metaData);
            assertThat(written.getData()).isEqualTo(expected.getData());
            assertThat(written.getType()).isEqualTo(expected.getType());
            assertThat(written.getContentType()).isEqualTo(String.class);
        }
        // Keys that share a hash bucket iterate in insertion order: equal metadata, different text.
        MetaData requestFirst = MetaData.with("requestId", "r-1").and("idempotencyKey", "k-1");
        MetaData keyFirst = MetaData.with("idempotencyKey", "k-1").and("requestId", "r-1");
        assertThat(requestFirst).isEqualTo(keyFirst);
        assertThat(axon.serialize(requestFirst, String.class).getData())
                .isNotEqualTo(axon.serialize(keyFirst, String.class).getData());
        for (MetaData metaData : List.of(requestFirst, keyFirst, requestFirst)) {
            assertThat(ledger.serialize(metaData, String.class).getData())
                    .isEqualTo(axon.serialize(metaData, String.class).getData());
        }
        // Values other than text are written each time, as Axon writes them.
        MetaData number = MetaData.with("attempt", 1);
        MetaData sameNumber = MetaData.with("attempt", 1L);
        assertThat(ledger.serialize(number, String.class).getData()).isEqualTo(axon.serialize(number, String.class).getData());
        assertThat(ledger.serialize(sameNumber, String.class).getData())
                .isEqualTo(axon.serialize(sameNumber, String.class).getData());
        // Asked for bytes, metadata is written as Axon writes it.
        assertThat(ledger.serialize(first, byte[].class).getData()).isEqualTo(axon.serialize(first, byte[].class).getData());
    }

    @Test
    void aTypeThisBuildDoesNotKnowStaysUnknownEveryTime() {
        SimpleSerializedObject<String> stranger = new SimpleSerializedObject<>("{\"x\":1}", String.class,
                "com.example.NotInThisBuild", null);

        for (int read = 0; read < 2; read++) {
            assertThat(ledger.classForType(stranger.getType())).isEqualTo(UnknownSerializedType.class);
            assertThat((Object) ledger.deserialize(stranger)).isInstanceOf(UnknownSerializedType.class);
        }
    }

    @Test
    void malformedJsonFailsAsWithAxon() {
        SimpleSerializedObject<String> broken = new SimpleSerializedObject<>("{\"accountId\":", String.class,
                Sample.class.getName(), null);

        assertThatThrownBy(() -> ledger.deserialize(broken)).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> axon.deserialize(broken)).isInstanceOf(SerializationException.class);
    }

    @Test
    void jsonAsBytesReadsAsJsonAsText() {
        Sample sample = new Sample("acct-ü", BigDecimal.TEN, Instant.parse("2026-01-01T00:00:00Z"), List.of());
        SerializedObject<byte[]> bytes = axon.serialize(sample, byte[].class);

        assertThat(ledger.<byte[], Sample>deserialize(bytes)).isEqualTo(sample);
    }

    @Test
    void aKnownTypeResolvesToItsClassWhateverTheRevision() {
        assertThat(ledger.classForType(new SimpleSerializedType(Sample.class.getName(), null))).isEqualTo(Sample.class);
        assertThat(ledger.classForType(new SimpleSerializedType(Sample.class.getName(), "2"))).isEqualTo(Sample.class);
        assertThat(ledger.classForType(SimpleSerializedType.emptyType())).isEqualTo(Void.class);
    }
}
