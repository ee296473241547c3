package dev.tally.replay.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;

/** One JSON object per line; the payload is embedded as a JSON object, absent fields as null. */
final class NdjsonEventWriter implements EventWriter {

    private final Writer out;
    private final ObjectMapper json;

    NdjsonEventWriter(Writer out, ObjectMapper json) {
        this.out = out;
        this.json = json;
    }

    @Override
    public void write(ExportedEvent event) throws IOException {
        try (JsonGenerator line = json.getFactory().createGenerator(out)) {
            line.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            line.writeStartObject();
            line.writeNumberField("position", event.position());
            line.writeStringField("eventId", event.eventId());
            line.writeStringField("aggregate", event.aggregate());
            line.writeNumberField("sequence", event.sequence());
            line.writeStringField("type", event.type());
            line.writeStringField("timestamp", event.timestamp());
            line.writeStringField("actor", event.audit().actor());
            line.writeStringField("requestId", event.audit().requestId());
            line.writeStringField("causationId", event.audit().causationId());
            line.writeStringField("correlationId", event.audit().correlationId());
            line.writeStringField("idempotencyKey", event.audit().idempotencyKey());
            line.writeStringField("hash", event.hash());
            line.writeStringField("prevHash", event.prevHash());
            line.writeFieldName("payload");
            json.writeTree(line, event.payload());
            line.writeEndObject();
        }
        out.write('\n');
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
