package dev.tally.ledger.account;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * A short digest of a request's content, kept per idempotency key so that a retry can be told
 * apart from a different request under the same key without keeping the whole request.
 */
final class Fingerprint {

    private Fingerprint() {
    }

    static String of(Object... parts) {
        StringBuilder text = new StringBuilder();
        for (Object part : parts) {
            lengthPrefixed(text, render(part));
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JVM has SHA-256", impossible);
        }
    }

    private static String render(Object part) {
        if (part == null) {
            return "\u0000";
        }
        if (part instanceof BigDecimal decimal) {
            return decimal.signum() == 0 ? "0" : decimal.stripTrailingZeros().toPlainString();
        }
        if (part instanceof Map<?, ?> map) {
            StringBuilder rendered = new StringBuilder("{");
            new TreeMap<>(stringKeys(map)).forEach((key, value) -> {
                lengthPrefixed(rendered, key);
                lengthPrefixed(rendered, render(value));
            });
            return rendered.append('}').toString();
        }
        if (part instanceof Number number) {
            return render(new BigDecimal(number.toString()));
        }
        return part.getClass().getSimpleName() + ':' + part;
    }

    /**
     * Every piece is written as its length, a colon and itself, so that no content (a property
     * value holding separators, say) can render the same as different content.
     */
    private static void lengthPrefixed(StringBuilder text, String piece) {
        text.append(piece.length()).append(':').append(piece);
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> copy = new TreeMap<>();
        map.forEach((key, value) -> copy.put(String.valueOf(key), value));
        return copy;
    }
}
