package dev.tally.integrations.stripe.fake;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Stripe's form encoding with bracket notation, flat: {@code metadata[k]=v} stays under the key {@code metadata[k]}. */
record FormParams(Map<String, String> values) {

    static FormParams parse(String encoded) {
        Map<String, String> values = new LinkedHashMap<>();
        if (encoded != null && !encoded.isEmpty()) {
            for (String pair : encoded.split("&")) {
                int equals = pair.indexOf('=');
                String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                values.put(key, value);
            }
        }
        return new FormParams(values);
    }

    /** The top-level parameter names ({@code metadata} for {@code metadata[k]}), as the spec names them. */
    Set<String> topLevelNames() {
        Set<String> names = new TreeSet<>();
        for (String key : values.keySet()) {
            int bracket = key.indexOf('[');
            names.add(bracket < 0 ? key : key.substring(0, bracket));
        }
        return names;
    }

    String get(String key) {
        return values.get(key);
    }

    /** The entries under {@code name[...]}, keyed by what is inside the first brackets. */
    Map<String, String> under(String name) {
        Map<String, String> entries = new LinkedHashMap<>();
        String prefix = name + "[";
        values.forEach((key, value) -> {
            if (key.startsWith(prefix) && key.endsWith("]")) {
                entries.put(key.substring(prefix.length(), key.length() - 1), value);
            }
        });
        return entries;
    }

    boolean expands(String field) {
        return values.entrySet().stream().anyMatch(e -> e.getKey().startsWith("expand[") && field.equals(e.getValue()));
    }
}
