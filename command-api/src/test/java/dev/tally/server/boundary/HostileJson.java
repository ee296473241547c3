package dev.tally.server.boundary;

import java.util.ArrayList;
import java.util.List;

/**
 * A JSON value a hostile client can write: objects keep their members as a list, so a member can
 * appear twice, and strings are written with every control character and surrogate escaped, so a
 * lone surrogate travels as {@code \ud800} exactly as a client could send it. A general JSON
 * library cannot build either.
 */
final class HostileJson {

    /** A number written as it is, digits and exponent included, which no Java number type may hold. */
    record RawNumber(String digits) {
    }

    /** An object whose members may repeat. */
    static final class Members {
        final List<String> names = new ArrayList<>();
        final List<Object> values = new ArrayList<>();

        Members with(String name, Object value) {
            names.add(name);
            values.add(value);
            return this;
        }
    }

    private HostileJson() {
    }

    static String write(Object value) {
        StringBuilder json = new StringBuilder();
        write(value, json);
        return json.toString();
    }

    private static void write(Object value, StringBuilder json) {
        if (value == null) {
            json.append("null");
        } else if (value instanceof String text) {
            writeString(text, json);
        } else if (value instanceof RawNumber number) {
            json.append(number.digits());
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
            json.append(value);
        } else if (value instanceof Members members) {
            json.append('{');
            for (int i = 0; i < members.names.size(); i++) {
                json.append(i == 0 ? "" : ",");
                writeString(members.names.get(i), json);
                json.append(':');
                write(members.values.get(i), json);
            }
            json.append('}');
        } else if (value instanceof List<?> list) {
            json.append('[');
            for (int i = 0; i < list.size(); i++) {
                json.append(i == 0 ? "" : ",");
                write(list.get(i), json);
            }
            json.append(']');
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass());
        }
    }

    private static void writeString(String text, StringBuilder json) {
        json.append('"');
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7F || Character.isSurrogate(c)) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }
}
