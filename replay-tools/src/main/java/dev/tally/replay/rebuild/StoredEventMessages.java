package dev.tally.replay.rebuild;

import dev.tally.replay.events.StoredEvent;
import org.axonframework.eventhandling.GenericTrackedDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.LazyDeserializingObject;
import org.axonframework.serialization.SerializedMessage;
import org.axonframework.serialization.SerializedMetaData;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;

/**
 * Stored events as the tracked messages Axon's JDBC storage engine hands a processor: same
 * identifier, aggregate, sequence, token and timestamp, the payload read by the server's
 * serializer and the metadata left for Axon to read if a handler asks for it. The payload is read
 * here, on a writer thread, so that the single reader thread only fetches rows. A payload type
 * this build does not know becomes an {@code UnknownSerializedType}, which no projection handles,
 * as on the server.
 */
final class StoredEventMessages {

    private final Serializer serializer;

    StoredEventMessages(Serializer serializer) {
        this.serializer = serializer;
    }

    TrackedEventMessage<?> of(StoredEvent event) {
        Object payload = serializer.deserialize(new SimpleSerializedObject<>(event.payloadJson(), String.class,
                event.payloadType(), event.payloadRevision()));
        LazyDeserializingObject<MetaData> metaData = event.metadataJson() == null
                ? new LazyDeserializingObject<>(MetaData.emptyInstance())
                : new LazyDeserializingObject<>(new SerializedMetaData<>(event.metadataJson(), String.class), serializer);
        SerializedMessage<Object> message = new SerializedMessage<>(event.eventId(),
                new LazyDeserializingObject<>(payload), metaData);
        return new GenericTrackedDomainEventMessage<>(new GlobalSequenceTrackingToken(event.position()),
                event.aggregateType(), event.aggregate(), event.sequence(), message, event::recordedAt);
    }
}
