package dev.tally.server.web.json;

import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.ledger.limits.InstantLimits;
import dev.tally.ledger.limits.TextRules;
import dev.tally.ledger.serialization.IsoInstants;
import dev.tally.server.web.error.ProblemException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Reads request fields strictly, answering a 400 or 422 that names the field. */
public final class RequestFields {

    public static final int MAX_ID_LENGTH = TextRules.MAX_ID_LENGTH;
    public static final int MAX_TEXT_LENGTH = TextRules.MAX_DESCRIPTION_LENGTH;
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@-]{0,254}");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");

    private RequestFields() {
    }

    public static String identifier(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw new ProblemException(ErrorCode.MISSING_FIELD, field + " is required");
        }
        if (!IDENTIFIER.matcher(value).matches()) {
            throw new ProblemException(ErrorCode.INVALID_FIELD,
                    field + " is 1-255 characters of letters, digits, '_', '.', ':', '@' or '-'");
        }
        return value;
    }

    /** A name, method, email or reference: one line of text. */
    public static String requiredText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new ProblemException(ErrorCode.MISSING_FIELD, field + " is required");
        }
        return optionalText(value, field);
    }

    /** A name, method, email or reference: one line of text, or null. */
    public static String optionalText(String value, String field) {
        return checkedText(value, field, TextRules.Lines.SINGLE, TextRules.MAX_NAME_LENGTH);
    }

    /** A description or reason, which may hold line feeds and tabs. */
    public static String requiredDescription(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new ProblemException(ErrorCode.MISSING_FIELD, field + " is required");
        }
        return optionalDescription(value, field);
    }

    /** A description or reason, which may hold line feeds and tabs, or null. */
    public static String optionalDescription(String value, String field) {
        return checkedText(value, field, TextRules.Lines.MULTIPLE, TextRules.MAX_DESCRIPTION_LENGTH);
    }

    private static String checkedText(String value, String field, TextRules.Lines lines, int maxLength) {
        if (value == null) {
            return null;
        }
        if (value.length() > maxLength) {
            throw new ProblemException(ErrorCode.INVALID_FIELD, field + " is at most " + maxLength + " characters");
        }
        TextRules.violation(value, lines).ifPresent(problem -> {
            throw new ProblemException(ErrorCode.INVALID_TEXT, field + " " + problem);
        });
        return value;
    }

    /** A query parameter naming something by id (a meter, an account): refused if it breaks the id rule. */
    public static String optionalIdentifier(String value, String field) {
        return value == null ? null : identifier(value, field);
    }

    public static BigDecimal requiredDecimal(String value, String field) {
        if (value == null) {
            throw new ProblemException(ErrorCode.MISSING_FIELD, field + " is required");
        }
        return optionalDecimal(value, field);
    }

    public static BigDecimal optionalDecimal(String value, String field) {
        if (value == null) {
            return null;
        }
        BigDecimal parsed = parseDecimal(value);
        if (parsed == null) {
            throw new ProblemException(ErrorCode.INVALID_FIELD, field + " must be a decimal string such as \"12.50\"");
        }
        return parsed;
    }

    /** A plain decimal of at most 18 integer and 18 fraction digits, or null. */
    public static BigDecimal parseDecimal(String value) {
        if (value == null || value.length() > 40 || !DECIMAL.matcher(value).matches()) {
            return null;
        }
        BigDecimal parsed = new BigDecimal(value);
        if (parsed.scale() > 18 || parsed.precision() - parsed.scale() > 18) {
            return null;
        }
        return parsed;
    }

    public static Instant optionalInstant(String value, String field) {
        if (value == null) {
            return null;
        }
        Instant parsed = parseInstant(value);
        if (parsed == null) {
            throw new ProblemException(ErrorCode.INVALID_FIELD, field + " must be an RFC 3339 timestamp");
        }
        InstantLimits.violation(parsed).ifPresent(problem -> {
            throw new ProblemException(ErrorCode.INVALID_TIMESTAMP, field + " " + problem);
        });
        return parsed;
    }

    public static Instant parseInstant(String value) {
        if (value == null) {
            return null;
        }
        // RFC 3339 allows lower-case 't' and 'z'; java.time parses the upper-case forms.
        value = value.toUpperCase(java.util.Locale.ROOT);
        Instant canonical = IsoInstants.parseCanonical(value);
        if (canonical != null) {
            return canonical;
        }
        try {
            // The UTC form parses several times faster as an Instant; other offsets take the general path.
            if (value.endsWith("Z")) {
                return Instant.parse(value);
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException | NullPointerException invalid) {
            return null;
        }
    }
}
