package dev.tally.server.web.auth;

import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.server.web.error.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/** Resolves the bearer key of every /v1 request to a {@link Caller}; a missing or unknown key is a 401. */
@Component
public class AuthInterceptor implements HandlerInterceptor {

    public static final String CALLER_ATTRIBUTE = Caller.class.getName();
    private static final String BEARER = "Bearer ";

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
        if (header == null || !header.startsWith(BEARER) || header.length() == BEARER.length()) {
            throw new ProblemException(ErrorCode.UNAUTHORIZED, "send Authorization: Bearer <api key>");
        }
        Caller caller = keys.authenticate(header.substring(BEARER.length()).trim())
                .orElseThrow(() -> new ProblemException(ErrorCode.UNAUTHORIZED, "unknown API key"));
        request.setAttribute(CALLER_ATTRIBUTE, caller);
        MDC.put("actor", caller.keyId());
        return caller;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        MDC.remove("actor");
    }
}
