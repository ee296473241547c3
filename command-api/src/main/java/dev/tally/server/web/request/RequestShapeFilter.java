package dev.tally.server.web.request;

import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.ledger.limits.TextRules;
import dev.tally.server.web.error.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses what is wrong with a {@code /v1} request as a whole before anything reads it: a body
 * that is not {@code application/json} (415), and a path or query parameter holding text the
 * ledger would not store (control characters, unpaired surrogates: 422 {@code invalid_text}).
 * Ahead of the idempotency filter, so that no such request claims a key or reaches a query.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
public class RequestShapeFilter extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/v1/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (hasBody(request) && !isJson(request.getContentType())) {
            Problems.write(response, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json");
            return;
        }
        Optional<String> pathProblem = textProblem("the path", decode(request.getRequestURI()));
        if (pathProblem.isPresent()) {
            Problems.write(response, ErrorCode.INVALID_TEXT, pathProblem.get());
            return;
        }
        String query = request.getQueryString();
        if (query != null) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                if (name == null || value == null) {
                    Problems.write(response, ErrorCode.MALFORMED_REQUEST, "the query string is not percent-encoded UTF-8");
                    return;
                }
                Optional<String> problem = textProblem("a query parameter's name", name)
                        .or(() -> textProblem("query parameter " + name, value));
                if (problem.isPresent()) {
                    Problems.write(response, ErrorCode.INVALID_TEXT, problem.get());
                    return;
                }
            }
        }
        chain.doFilter(request, response);
    }

    private static boolean hasBody(HttpServletRequest request) {
        String method = request.getMethod();
        boolean mayCarryBody = "POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method);
        return mayCarryBody && (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null);
    }

    /** {@code application/json}, with parameters such as a charset; wildcards and other types are not a body's type. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int parameters = contentType.indexOf(';');
        String type = (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json");
    }

    private static Optional<String> textProblem(String where, String text) {
        if (text == null) {
            return Optional.of(where + " is not percent-encoded UTF-8");
        }
        return TextRules.violation(text, TextRules.Lines.SINGLE).map(problem -> where + " " + problem);
    }

    /** Percent-decoded text, or null when it is not valid percent-encoding of UTF-8. */
    private static String decode(String encoded) {
        try {
            String decoded = URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
            return decoded.indexOf('\uFFFD') >= 0 && encoded.indexOf('\uFFFD') < 0 ? null : decoded;
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }
}
