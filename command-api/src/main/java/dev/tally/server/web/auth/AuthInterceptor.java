package dev.tally.server.web.auth;

import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.server.web.error.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Resolves the bearer key of every /v1 request to a {@link Caller}; a missing, unknown or revoked key
 * is a 401. The scheme name is matched without regard to case (RFC 9110, section 11.1).
 */
@Component
public class AuthInterceptor implements HandlerInterceptor {

    public static final String CALLER_ATTRIBUTE = Caller.class.getName();
    private static final String BEARER = "Bearer";

    private final ApiKeyStore keys;

    public AuthInterceptor(ApiKeyStore keys) {
        this.keys = keys;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        request.setAttribute(CALLER_ATTRIBUTE, authenticate(request));
        return true;
    }

    public Caller authenticate(HttpServletRequest request) {
        Object known = request.getAttribute(CALLER_ATTRIBUTE);
        if (known instanceof Caller caller) {
            return caller;
        }
        String header = request.getHeader("Authorization");
        boolean bearer = header != null && header.length() > BEARER.length() + 1
                && header.regionMatches(true, 0, BEARER, 0, BEARER.length()) && header.charAt(BEARER.length()) == ' ';
        String secret = bearer ? header.substring(BEARER.length()).trim() : "";
        if (secret.isEmpty()) {
            throw new ProblemException(ErrorCode.UNAUTHORIZED, "send Authorization: Bearer <api key>");
        }
        Caller caller = keys.authenticate(secret)
                .orElseThrow(() -> new ProblemException(ErrorCode.UNAUTHORIZED, "unknown or revoked API key"));
        request.setAttribute(CALLER_ATTRIBUTE, caller);
        MDC.put("actor", caller.keyId());
        return caller;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        MDC.remove("actor");
    }
}
