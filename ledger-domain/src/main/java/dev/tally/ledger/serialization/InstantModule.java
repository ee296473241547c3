package dev.tally.ledger.serialization;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.key.InstantKeyDeserializer;
import java.io.IOException;
import java.time.Instant;

/**
 * Instants, as values and as map keys, in their canonical text through {@link IsoInstants}. Any
 * other form a reader meets (an offset, an epoch number) goes to the JavaTime module's own
 * deserializers, so what reads is exactly what read before.
 */
final class InstantModule extends SimpleModule {

    InstantModule() {
        super("tally-instants");
        addSerializer(Instant.class, new CanonicalInstantSerializer());
        addDeserializer(Instant.class, new CanonicalInstantDeserializer());
        addKeySerializer(Instant.class, new CanonicalInstantKeySerializer());
        addKeyDeserializer(Instant.class, new CanonicalInstantKeyDeserializer());
    }

    private static final class CanonicalInstantSerializer extends StdSerializer<Instant> {

        CanonicalInstantSerializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeString(IsoInstants.format(value));
        }
    }

    private static final class CanonicalInstantKeySerializer extends StdSerializer<Instant> {

        CanonicalInstantKeySerializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeFieldName(IsoInstants.format(value));
        }
    }

    private static final class CanonicalInstantDeserializer extends StdDeserializer<Instant> {

        CanonicalInstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.hasToken(JsonToken.VALUE_STRING)) {
                Instant canonical = IsoInstants.parseCanonical(parser.getText());
                if (canonical != null) {
                    return canonical;
                }
            }
            return InstantDeserializer.INSTANT.deserialize(parser, context);
        }
    }

    private static final class CanonicalInstantKeyDeserializer extends KeyDeserializer {

        @Override
        public Object deserializeKey(String key, DeserializationContext context) throws IOException {
            Instant canonical = IsoInstants.parseCanonical(key);
            return canonical != null ? canonical : InstantKeyDeserializer.INSTANCE.deserializeKey(key, context);
        }
    }
}
