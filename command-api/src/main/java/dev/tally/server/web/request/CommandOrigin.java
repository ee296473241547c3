package dev.tally.server.web.request;

import dev.tally.server.web.auth.AuthInterceptor;
import dev.tally.server.web.auth.Caller;
import dev.tally.server.web.idempotency.IdempotencyFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.Map;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.messaging.MetaData;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Who caused a command, recorded in its metadata and, through {@code AuditCorrelation}, on every
 * event it appends: the API key id (or {@code system:<job>} for the ledger's own schedulers), the
 * request id and the request's {@code Idempotency-Key}.
 */
public record CommandOrigin(String actor, String requestId, String idempotencyKey) {

    public static final String ACTOR = "actor";
    public static final String REQUEST_ID = "requestId";
    public static final String IDEMPOTENCY_KEY = "idempotencyKey";

    /** The origin of the HTTP request this thread serves; a system origin when it serves none. */
    public static CommandOrigin current() {
        if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
            return system("unknown");
        }
        HttpServletRequest request = attributes.getRequest();
        Object caller = request.getAttribute(AuthInterceptor.CALLER_ATTRIBUTE);
        Object requestId = request.getAttribute(RequestIdFilter.ATTRIBUTE);
        return new CommandOrigin(caller instanceof Caller known ? known.keyId() : "anonymous",
                requestId == null ? null : requestId.toString(), request.getHeader(IdempotencyFilter.HEADER));
    }

    /** One of the ledger's own jobs, such as the invoice scheduler. */
    public static CommandOrigin system(String job) {
        return new CommandOrigin("system:" + job, null, null);
    }

    public CommandMessage<Object> stamp(Object command) {
        Map<String, Object> metaData = new HashMap<>();
        metaData.put(ACTOR, actor);
        if (requestId != null) {
            metaData.put(REQUEST_ID, requestId);
        }
        if (idempotencyKey != null) {
            metaData.put(IDEMPOTENCY_KEY, idempotencyKey);
        }
        return GenericCommandMessage.asCommandMessage(command).andMetaData(MetaData.from(metaData));
    }
}
