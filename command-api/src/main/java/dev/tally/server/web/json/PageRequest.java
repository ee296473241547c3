package dev.tally.server.web.json;

import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.ledger.limits.TextRules;
import dev.tally.server.web.error.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** {@code ?limit=} (1-1000, default 100) and an opaque {@code ?cursor=}. */
public record PageRequest(int limit, String cursor) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    /** Longer than any cursor this API writes (an id, a separator and a date or position). */
    static final int MAX_CURSOR_LENGTH = 1024;

    public static PageRequest of(Integer limit, String cursor) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw new ProblemException(ErrorCode.INVALID_FIELD, "limit is 1-1000");
        }
        return new PageRequest(size, cursor == null ? null : decode(cursor));
    }

    public static String encode(String cursor) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(cursor.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        String decoded;
        try {
            decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException invalid) {
            throw new ProblemException(ErrorCode.MALFORMED_REQUEST, "cursor is not one this API gave out");
        }
        // A cursor is text this API wrote; one that decodes to anything else was made up, and must
        // not reach a query (PostgreSQL refuses NUL in text with an error, not an empty page).
        if (decoded.length() > MAX_CURSOR_LENGTH || !TextRules.isStorable(decoded) || decoded.indexOf('\uFFFD') >= 0) {
            throw new ProblemException(ErrorCode.MALFORMED_REQUEST, "cursor is not one this API gave out");
        }
        return decoded;
    }
}
