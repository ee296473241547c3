package dev.tally.server.web.json;

import dev.tally.ledger.limits.TextRules;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.std.StdScalarDeserializer;

/**
 * Reads every string member of a {@code /v1} request body: a JSON string only (a number or a
 * boolean where text belongs is a client's mistake, not something to convert), and text the
 * ledger may store (no control characters but line feed and tab, no unpaired surrogates). The
 * stricter rules of ids and names are checked where the field is read; this is the floor that no
 * field can forget.
 */
final class StoredTextDeserializer extends StdScalarDeserializer<String> {

    StoredTextDeserializer() {
        super(String.class);
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            return (String) context.handleUnexpectedToken(String.class, parser);
        }
        String text = parser.getString();
        String violation = TextRules.violation(text, TextRules.Lines.MULTIPLE).orElse(null);
        if (violation != null) {
            throw new InvalidTextInput(parser, violation);
        }
        return text;
    }
}
