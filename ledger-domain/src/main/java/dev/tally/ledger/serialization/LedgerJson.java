package dev.tally.ledger.serialization;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;

/**
 * The JSON form of the ledger's messages, as the event store holds them. The server's Axon
 * serializer and the offline replay tools both build their mapper here, so that a tool reads
 * every event exactly as the server wrote it.
 */
public final class LedgerJson {

    private LedgerJson() {
    }

    /** A new mapper; each caller owns its instance (mappers are cheap to share but not to reconfigure). */
    public static ObjectMapper newMapper() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.registerModule(new JavaTimeModule());
        // Registered after the JavaTime module, so that its instant codec takes precedence.
        mapper.registerModule(new InstantModule());
        // Generated accessors instead of reflection: every event is written once and read back by the projections.
        mapper.registerModule(new BlackbirdModule());
        // Instants as ISO-8601 text, amounts exactly as computed: what auditors read in SQL and in exports.
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        // An event written by a newer version with an added field still reads on an older reader.
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        return mapper;
    }
}
