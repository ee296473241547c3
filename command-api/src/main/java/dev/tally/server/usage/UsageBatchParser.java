package dev.tally.server.usage;

import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.ledger.api.usage.UsageOutcome;
import dev.tally.ledger.api.usage.UsageSubmission;
import dev.tally.server.web.json.RequestFields;
import java.math.BigDecimal;
import java.time.Instant;
import dev.tally.ledger.limits.InstantLimits;
import dev.tally.ledger.limits.NumberLimits;
import dev.tally.ledger.limits.TextRules;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Reads one usage event of a batch. A malformed event is rejected on its own (with a code)
 * instead of failing the whole batch, because each event stands or falls alone.
 */
final class UsageBatchParser {

    static final int MAX_PROPERTIES_BYTES = 4096;
    /** The members a usage event defines (spec section 3); any other is refused, never ignored. */
    static final List<String> MEMBERS = List.of("idempotencyKey", "accountId", "meter", "quantity", "timestamp",
            "properties");

    /** Either a submission for an account, or the rejection of an event that could not be read. */
    record Parsed(String accountId, UsageSubmission submission, UsageOutcome rejection) {
    }

    private UsageBatchParser() {
    }

    static Parsed parse(JsonNode event) {
        String key = text(event, "idempotencyKey");
        if (!event.isObject()) {
            return rejected(null, null, ErrorCode.MALFORMED_REQUEST, "an event is a JSON object");
        }
        if (key == null) {
            return rejected(null, null, ErrorCode.MISSING_FIELD, "idempotencyKey is required (a string)");
        }
        if (!TextRules.isStorable(key)) {
            // The key cannot even be echoed as it was sent: the answer names the event by its position.
            return rejected(null, null, ErrorCode.INVALID_TEXT, "idempotencyKey " + violation(key));
        }
        String accountId = text(event, "accountId");
        if (accountId == null) {
            return rejected(null, key, ErrorCode.MISSING_FIELD, "accountId is required (a string)");
        }
        Optional<Parsed> unreadable = firstUnreadable(event, key);
        if (unreadable.isPresent()) {
            return unreadable.get();
        }
        String meter = text(event, "meter");
        if (meter == null) {
            return rejected(accountId, key, ErrorCode.MISSING_FIELD, "meter is required (a string)");
        }
        JsonNode quantityNode = event.get("quantity");
        if (quantityNode == null || quantityNode.isNull()) {
            return rejected(accountId, key, ErrorCode.MISSING_FIELD, "quantity is required");
        }
        BigDecimal quantity = quantityNode.isString() || quantityNode.isNumber()
                ? RequestFields.parseDecimal(quantityNode.asString()) : null;
        if (quantity == null) {
            return rejected(accountId, key, ErrorCode.INVALID_QUANTITY, "quantity must be a decimal such as \"12.5\"");
        }
        Optional<String> tooLarge = NumberLimits.quantityViolation(quantity);
        if (tooLarge.isPresent()) {
            return rejected(accountId, key, ErrorCode.INVALID_QUANTITY, tooLarge.get());
        }
        String timestampText = text(event, "timestamp");
        if (timestampText == null) {
            return rejected(accountId, key, ErrorCode.MISSING_FIELD, "timestamp is required (RFC 3339)");
        }
        Instant timestamp = RequestFields.parseInstant(timestampText);
        if (timestamp == null) {
            return rejected(accountId, key, ErrorCode.INVALID_TIMESTAMP, "timestamp must be RFC 3339");
        }
        Optional<String> outOfRange = InstantLimits.violation(timestamp);
        if (outOfRange.isPresent()) {
            return rejected(accountId, key, ErrorCode.INVALID_TIMESTAMP, "timestamp " + outOfRange.get());
        }
        JsonNode propertiesNode = event.get("properties");
        Map<String, Object> properties = new LinkedHashMap<>();
        if (propertiesNode != null && !propertiesNode.isNull()) {
            if (!propertiesNode.isObject()) {
                return rejected(accountId, key, ErrorCode.INVALID_PROPERTIES, "properties is a flat JSON object");
            }
            if (exceedsPropertiesLimit(propertiesNode)) {
                return rejected(accountId, key, ErrorCode.INVALID_PROPERTIES, "properties exceed 4 KiB");
            }
            for (Map.Entry<String, JsonNode> property : propertiesNode.properties()) {
                JsonNode value = property.getValue();
                if (!TextRules.isStorable(property.getKey())) {
                    return rejected(accountId, key, ErrorCode.INVALID_TEXT, "a property name " + violation(property.getKey()));
                }
                if (value.isString()) {
                    if (!TextRules.isStorable(value.asString())) {
                        return rejected(accountId, key, ErrorCode.INVALID_TEXT,
                                "property " + property.getKey() + " " + violation(value.asString()));
                    }
                    properties.put(property.getKey(), value.asString());
                } else if (value.isNumber() && finiteDecimal(value) != null) {
                    properties.put(property.getKey(), finiteDecimal(value));
                } else {
                    return rejected(accountId, key, ErrorCode.INVALID_PROPERTIES,
                            "property " + property.getKey() + " must be a string or a number");
                }
            }
        }
        return new Parsed(accountId, new UsageSubmission(key, meter, quantity, timestamp, properties), null);
    }

    /**
     * The rejection of an event with a member it does not define, or an account id or meter that is
     * not storable text; each stands or falls alone, so this rejects the event, not the batch.
     */
    private static Optional<Parsed> firstUnreadable(JsonNode event, String key) {
        for (String member : event.propertyNames()) {
            if (!MEMBERS.contains(member)) {
                return Optional.of(rejected(null, key, ErrorCode.UNKNOWN_MEMBER, "\"" + member
                        + "\" is not a member of a usage event; it takes " + String.join(", ", MEMBERS)));
            }
        }
        for (String field : List.of("accountId", "meter")) {
            String value = text(event, field);
            if (value != null && !TextRules.isStorable(value)) {
                return Optional.of(rejected(null, key, ErrorCode.INVALID_TEXT, field + " " + violation(value)));
            }
        }
        return Optional.empty();
    }

    private static String violation(String text) {
        return TextRules.violation(text, TextRules.Lines.SINGLE).orElse("");
    }

    /**
     * Whether the properties, written as JSON, take more than {@link #MAX_PROPERTIES_BYTES}. Writing them
     * out for every event took a sixteenth of the ingestion threads' CPU, so they are written only when
     * a generous bound does not already settle it: no character takes more than six bytes (a
     * {@code \\u} escape), and each entry adds quotes, a colon and a comma.
     */
    private static boolean exceedsPropertiesLimit(JsonNode properties) {
        long bound = 2;
        for (Map.Entry<String, JsonNode> property : properties.properties()) {
            JsonNode value = property.getValue();
            if (!value.isString() && !value.isNumber()) {
                bound = Long.MAX_VALUE;
                break;
            }
            bound += 6L * property.getKey().length() + 6L * value.asString().length() + 6;
        }
        return bound > MAX_PROPERTIES_BYTES
                && properties.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PROPERTIES_BYTES;
    }

    /** The number exactly as written, or null for one that is not finite (1e400 read as a double). */
    private static java.math.BigDecimal finiteDecimal(JsonNode number) {
        try {
            return new java.math.BigDecimal(number.asString());
        } catch (NumberFormatException notFinite) {
            return null;
        }
    }

    private static String text(JsonNode event, String field) {
        JsonNode value = event.get(field);
        return value != null && value.isString() ? value.asString() : null;
    }

    private static Parsed rejected(String accountId, String key, ErrorCode code, String detail) {
        return new Parsed(accountId, null, UsageOutcome.rejected(key, code, detail));
    }
}
