package dev.tally.server.axon;

import dev.tally.ledger.serialization.IsoInstants;
import java.time.Instant;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.serialization.SerializedObject;

/**
 * A stored event whose timestamp was read once, from the canonical text the event store writes.
 * Axon's entries keep the text and parse it through a general {@code DateTimeFormatter} each time
 * it is asked for, once per processor and message: a twelfth of the projection worker's CPU.
 * Everything else is the stored event as Axon read it.
 */
final class ParsedTimestampEventData<T> implements DomainEventData<T> {

    private final DomainEventData<T> stored;
    private final Instant timestamp;

    private ParsedTimestampEventData(DomainEventData<T> stored, Instant timestamp) {
        this.stored = stored;
        this.timestamp = timestamp;
    }

    /** {@code stored}, with its timestamp column's {@code text} parsed; a text of another form is parsed as Axon does. */
    static <T> ParsedTimestampEventData<T> of(DomainEventData<T> stored, String text) {
        Instant canonical = IsoInstants.parseCanonical(text);
        return new ParsedTimestampEventData<>(stored, canonical != null ? canonical : DateTimeUtils.parseInstant(text));
    }

    @Override
    public Instant getTimestamp() {
        return timestamp;
    }

    @Override
    public String getEventIdentifier() {
        return stored.getEventIdentifier();
    }

    @Override
    public SerializedObject<T> getMetaData() {
        return stored.getMetaData();
    }

    @Override
    public SerializedObject<T> getPayload() {
        return stored.getPayload();
    }

    @Override
    public String getType() {
        return stored.getType();
    }

    @Override
    public String getAggregateIdentifier() {
        return stored.getAggregateIdentifier();
    }

    @Override
    public long getSequenceNumber() {
        return stored.getSequenceNumber();
    }
}
