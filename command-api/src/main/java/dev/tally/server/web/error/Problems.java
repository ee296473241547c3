package dev.tally.server.web.error;

import dev.tally.ledger.api.outcome.ErrorCode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** Builds RFC 9457 problem documents carrying the stable {@code code} member. */
public final class Problems {

    /** Seconds a client should wait before retrying a request the database could not take. */
    public static final int DATABASE_RETRY_AFTER_SECONDS = 2;

    private Problems() {
    }

    public static ProblemDetail of(ErrorCode code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(code.httpStatus()), detail);
        problem.setType(URI.create("https://tally.dev/problems/" + code.code()));
        problem.setTitle(code.code().replace('_', ' '));
        problem.setProperty("code", code.code());
        return problem;
    }

    public static ResponseEntity<ProblemDetail> response(ErrorCode code, String detail) {
        return ResponseEntity.status(code.httpStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(of(code, detail));
    }

    public static ResponseEntity<ProblemDetail> response(ErrorCode code, String detail, int retryAfterSeconds) {
        return ResponseEntity.status(code.httpStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header("Retry-After", Integer.toString(retryAfterSeconds)).body(of(code, detail));
    }

    public static ResponseEntity<ProblemDetail> databaseUnavailable() {
        return response(ErrorCode.DATABASE_UNAVAILABLE, DATABASE_UNAVAILABLE_DETAIL, DATABASE_RETRY_AFTER_SECONDS);
    }

    public static final String DATABASE_UNAVAILABLE_DETAIL =
            "the ledger's database cannot be reached; nothing was acknowledged, retry later";

    /** The code of a refusal that only has a status (the servlet container's, Spring MVC's). */
    public static ErrorCode codeForStatus(int status) {
        return switch (status) {
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ErrorCode.DATABASE_UNAVAILABLE;
            default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.MALFORMED_REQUEST;
        };
    }

    /** Writes a problem straight to the servlet response, for filters that answer before Spring MVC runs. */
    public static void write(HttpServletResponse response, ErrorCode code, String detail) throws IOException {
        response.setStatus(code.httpStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json(code, detail).getBytes(StandardCharsets.UTF_8));
    }

    /** The same document written by hand, for filters and the container, which answer outside Spring MVC. */
    public static String json(ErrorCode code, String detail) {
        return json(code.code(), code.httpStatus(), detail);
    }

    static String json(String code, int status, String detail) {
        return "{\"type\":\"https://tally.dev/problems/" + code + "\",\"title\":\"" + code.replace('_', ' ')
                + "\",\"status\":" + status + ",\"detail\":\"" + escape(detail) + "\",\"code\":\"" + code + "\"}";
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                escaped.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7F || Character.isSurrogate(c)) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
