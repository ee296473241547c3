package dev.tally.replay.rerate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;

/**
 * The ObjectMapper the server's event serializer uses (command-api's {@code axonObjectMapper()}),
 * so that payloads read back exactly as the ledger wrote them: BigDecimals keep their scale,
 * instants are ISO strings.
 *
 * <p>MERGE NOTE: a stand-in until the shared {@code dev.tally.ledger.serialization.LedgerJson}
 * factory lands; replace {@link #mapper()} with it then and delete this class.
 */
final class RerateJson {

    private RerateJson() {
    }

    static ObjectMapper mapper() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.registerModule(new JavaTimeModule());
        mapper.registerModule(new BlackbirdModule());
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        return mapper;
    }
}
