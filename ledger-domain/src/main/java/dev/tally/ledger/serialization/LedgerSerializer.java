package dev.tally.ledger.serialization;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializationException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.UnknownSerializedType;
import org.axonframework.serialization.json.JacksonSerializer;

/**
 * Axon's Jackson serializer over the ledger's mapper ({@link LedgerJson}), with each payload
 * type's class and the mapper's reader for each class looked up once. Axon resolves the class by
 * name for every message it reads (a class-loader lookup) and asks the mapper for a new reader per
 * payload; every event is read by the projections and by the warehouse export, so that was paid
 * several times per event. JSON held as text (the event store's columns are read as strings) is
 * read as text, where Axon first encoded it to UTF-8 bytes for every message. What is read does not
 * change: the same mapper reads the same JSON. The events one command appends carry equal metadata
 * (actor, request, causation, correlation), so a thread's last metadata text is used again for
 * metadata that would be written the same (the same text values in the same order) instead of
 * being written anew for every event.
 */
public final class LedgerSerializer extends JacksonSerializer {

    private final Map<String, Class<?>> classes = new ConcurrentHashMap<>();
    private final Map<Class<?>, ObjectReader> readers = new ConcurrentHashMap<>();
    private final ThreadLocal<SerializedMetaData> lastMetaData = new ThreadLocal<>();

    /** Metadata and the text this serializer wrote for it. */
    private record SerializedMetaData(MetaData metaData, SerializedObject<String> text) {
    }

    private LedgerSerializer(Builder builder) {
        super(builder);
    }

    /** The serializer of the server and the replay tools; {@code mapper} should come from {@link LedgerJson}. */
    public static LedgerSerializer over(ObjectMapper mapper) {
        return new LedgerSerializer(JacksonSerializer.builder().objectMapper(mapper));
    }

    /** Known classes are cached (a class, once loaded, stays); a type without one is asked again each time, as Axon does. */
    @Override
    @SuppressWarnings("rawtypes")
    public Class classForType(SerializedType type) {
        Class<?> known = classes.get(type.getName());
        if (known != null) {
            return known;
        }
        Class<?> resolved = super.classForType(type);
        if (!UnknownSerializedType.class.equals(resolved) && !Void.class.equals(resolved)) {
            classes.put(type.getName(), resolved);
        }
        return resolved;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> SerializedObject<T> serialize(Object object, Class<T> expectedRepresentation) {
        if (!(object instanceof MetaData metaData) || !String.class.equals(expectedRepresentation)) {
            return super.serialize(object, expectedRepresentation);
        }
        SerializedMetaData last = lastMetaData.get();
        if (last != null && sameTextsInSameOrder(last.metaData(), metaData)) {
            return (SerializedObject<T>) last.text();
        }
        SerializedObject<String> text = super.serialize(metaData, String.class);
        lastMetaData.set(new SerializedMetaData(metaData, text));
        return (SerializedObject<T>) text;
    }

    /**
     * Whether {@code next} would be written as {@code last} was: the same keys with the same text
     * values, met in the same order (equal maps may iterate differently, and other values may
     * render differently while equal), so the reused text is exactly what Axon would write.
     */
    private static boolean sameTextsInSameOrder(MetaData last, MetaData next) {
        if (last.getClass() != next.getClass() || last.size() != next.size()) {
            return false;
        }
        Iterator<Map.Entry<String, Object>> lastEntries = last.entrySet().iterator();
        for (Map.Entry<String, Object> entry : next.entrySet()) {
            Map.Entry<String, Object> before = lastEntries.next();
            if (!(entry.getValue() instanceof String text) || !entry.getKey().equals(before.getKey())
                    || !text.equals(before.getValue())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public <S, T> T deserialize(SerializedObject<S> serializedObject) {
        if (serializedObject.getData() instanceof String json
                && !SerializedType.emptyType().equals(serializedObject.getType())) {
            Class<?> type = classForType(serializedObject.getType());
            if (!UnknownSerializedType.class.isAssignableFrom(type)) {
                try {
                    return getReader(type).readValue(json);
                } catch (IOException unreadable) {
                    throw new SerializationException("Error while deserializing object", unreadable);
                }
            }
        }
        return super.deserialize(serializedObject);
    }

    @Override
    protected ObjectReader getReader(Class<?> type) {
        return readers.computeIfAbsent(type, super::getReader);
    }
}
