package dev.tally.server.web.error;

import dev.tally.ledger.api.outcome.ErrorCode;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** Builds RFC 9457 problem documents carrying the stable {@code code} member. */
public final class Problems {

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

    /** The same document written by hand, for filters that answer before Spring MVC runs. */
    public static String json(ErrorCode code, String detail) {
        return "{\"type\":\"https://tally.dev/problems/" + code.code() + "\",\"title\":\"" + code.code().replace('_', ' ')
                + "\",\"status\":" + code.httpStatus() + ",\"detail\":\"" + escape(detail) + "\",\"code\":\""
                + code.code() + "\"}";
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                escaped.append('\\').append(c);
            } else if (c < 0x20) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
