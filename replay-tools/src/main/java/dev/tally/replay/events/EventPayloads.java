package dev.tally.replay.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.ledger.serialization.LedgerJson;
import dev.tally.ledger.serialization.LedgerSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;

/**
 * Events and their JSON as the server reads them: the server's serializer ({@link LedgerSerializer})
 * over the ledger's mapper ({@link LedgerJson}). A payload type this build does not know comes back as Axon's
 * {@code UnknownSerializedType} rather than failing.
 */
public final class EventPayloads {

    private final ObjectMapper json = LedgerJson.newMapper();
    private final Serializer serializer = LedgerSerializer.over(json);

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
