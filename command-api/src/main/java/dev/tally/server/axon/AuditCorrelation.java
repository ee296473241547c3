package dev.tally.server.axon;

import dev.tally.server.web.request.CommandOrigin;
import java.util.HashMap;
import java.util.Map;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.correlation.CorrelationDataProvider;

/**
 * What every event inherits from the message that caused it (spec section 9): the actor, request
 * id and idempotency key of its command, its causation (that command's id) and its correlation
 * (the id of the first message of the chain).
 */
class AuditCorrelation implements CorrelationDataProvider {

    static final String CAUSATION_ID = "causationId";
    static final String CORRELATION_ID = "correlationId";

    @Override
    public Map<String, ?> correlationDataFor(Message<?> message) {
        if (DispatchesNothing.applies()) {
            return Map.of();
        }
        Map<String, Object> data = new HashMap<>();
        data.put(CAUSATION_ID, message.getIdentifier());
        data.put(CORRELATION_ID, message.getMetaData().getOrDefault(CORRELATION_ID, message.getIdentifier()));
        copy(message, CommandOrigin.ACTOR, data);
        copy(message, CommandOrigin.REQUEST_ID, data);
        copy(message, CommandOrigin.IDEMPOTENCY_KEY, data);
        return data;
    }

    private static void copy(Message<?> message, String key, Map<String, Object> data) {
        Object value = message.getMetaData().get(key);
        if (value != null) {
            data.put(key, value);
        }
    }
}
