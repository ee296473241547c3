package dev.tally.replay.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.ledger.serialization.LedgerJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;

/**
 * Events and their JSON as the server reads them: Axon's Jackson serializer over the ledger's
 * mapper ({@link LedgerJson}). A payload type this build does not know comes back as Axon's
 * {@code UnknownSerializedType} rather than failing.
 */
public final class EventPayloads {

    private final ObjectMapper json = LedgerJson.newMapper();
    private final Serializer serializer = JacksonSerializer.builder().objectMapper(json).build();

    public Serializer serializer() {
        return serializer;
    }

    public Object payload(StoredEvent event) {
        return serializer.deserialize(new SimpleSerializedObject<>(event.payloadJson(), String.class,
                event.payloadType(), event.payloadRevision()));
    }

    /** The JSON text as a tree; decimals stay exact (the mapper reads floats as BigDecimal). */
    public JsonNode tree(String jsonText) {
        if (jsonText == null) {
            return null;
        }
        try {
            return json.readTree(jsonText);
        } catch (IOException malformed) {
            throw new UncheckedIOException("the event store holds malformed JSON", malformed);
        }
    }

    /** One-line JSON (the event store's json column keeps whatever whitespace was written). */
    public String compact(JsonNode tree) {
        try {
            return json.writeValueAsString(tree);
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
    }

    public ObjectMapper mapper() {
        return json;
    }
}
