package dev.tally.replay.rebuild;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.tally.replay.events.StoredEvent;
import java.util.HashMap;
import java.util.Map;
import org.axonframework.eventhandling.GenericTrackedDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.LazyDeserializingObject;
import org.axonframework.serialization.SerializedMessage;
import org.axonframework.serialization.SerializedMetaData;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.UnknownSerializedType;

/**
 * Stored events as the tracked messages Axon's JDBC storage engine hands a processor: same
 * identifier, aggregate, sequence, token and timestamp, the payload read by the serializer's own
 * mapper and the metadata left to Axon to read if a handler asks for it. The payload is read
 * here, on a writer thread, so that the single reader thread only fetches rows.
 *
 * <p>Axon's serializer looks the payload class up by name for every event; this looks it up once
 * per type and keeps the mapper's reader for it, which is what the serializer then calls. A type
 * this build does not know goes through the serializer, which makes it an
 * {@code UnknownSerializedType} that no projection handles, as on the server.
 */
final class StoredEventMessages {

    private final Serializer serializer;
    private final ObjectMapper mapper;
    private final Map<String, ObjectReader> readers = new HashMap<>();

    /** {@code mapper} must be the one {@code serializer} reads with. */
    StoredEventMessages(Serializer serializer, ObjectMapper mapper) {
        this.serializer = serializer;
        this.mapper = mapper;
    }

    TrackedEventMessage<?> of(StoredEvent event) {
        LazyDeserializingObject<MetaData> metaData = event.metadataJson() == null
                ? new LazyDeserializingObject<>(MetaData.emptyInstance())
                : new LazyDeserializingObject<>(new SerializedMetaData<>(event.metadataJson(), String.class), serializer);
        SerializedMessage<Object> message = new SerializedMessage<>(event.eventId(),
                new LazyDeserializingObject<>(payload(event)), metaData);
        return new GenericTrackedDomainEventMessage<>(new GlobalSequenceTrackingToken(event.position()),
                event.aggregateType(), event.aggregate(), event.sequence(), message, event::recordedAt);
    }

    private Object payload(StoredEvent event) {
        ObjectReader reader = readers.computeIfAbsent(event.payloadType(), this::readerFor);
        try {
            if (reader != null) {
                return reader.readValue(event.payloadJson());
            }
        } catch (JsonProcessingException unreadable) {
            throw new IllegalStateException("event " + event.eventId() + " at position " + event.position()
                    + " has a payload its type cannot read: " + unreadable.getOriginalMessage(), unreadable);
        }
        return serializer.deserialize(new SimpleSerializedObject<>(event.payloadJson(), String.class,
                event.payloadType(), event.payloadRevision()));
    }

    /** The reader of a known payload class, {@code null} for a type this build does not have. */
    private ObjectReader readerFor(String payloadType) {
        Class<?> type = serializer.classForType(new SimpleSerializedType(payloadType, null));
        return UnknownSerializedType.class.equals(type) || Void.class.equals(type) ? null : mapper.readerFor(type);
    }
}
