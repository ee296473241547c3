package dev.tally.ledger.account;

import dev.tally.ledger.serialization.IsoInstants;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * A short digest of a request's content, kept per idempotency key so that a retry can be told
 * apart from a different request under the same key without keeping the whole request.
 */
final class Fingerprint {

    /**
     * One digest per thread: every usage event is fingerprinted, and looking the algorithm up in the
     * security providers for each one cost as much as the hashing.
     */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JVM has SHA-256", impossible);
        }
    });

    private Fingerprint() {
    }

    static String of(Object... parts) {
        StringBuilder text = new StringBuilder(128);
        for (Object part : parts) {
            lengthPrefixed(text, render(part));
        }
        MessageDigest sha256 = SHA_256.get();
        sha256.reset();
        byte[] digest = sha256.digest(text.toString().getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
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
            stringKeys(map).forEach((key, value) -> {
                lengthPrefixed(rendered, key);
                lengthPrefixed(rendered, render(value));
            });
            return rendered.append('}').toString();
        }
        if (part instanceof Number number) {
            return render(new BigDecimal(number.toString()));
        }
        if (part instanceof Instant instant) {
            // The text Instant.toString writes, without the general formatter.
            return "Instant:" + IsoInstants.format(instant);
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
