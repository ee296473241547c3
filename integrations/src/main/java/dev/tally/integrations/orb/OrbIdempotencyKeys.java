package dev.tally.integrations.orb;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Idempotency keys derived from ledger ids, so that a retried or redelivered call carries the same
 * key as the first one. Orb's {@code Idempotency-Key} header holds at most 64 characters: a key that
 * would be longer, or holds characters a header should not carry, keeps its purpose as a readable
 * prefix and replaces the ids by their SHA-256 (hex, truncated to fit), which is just as
 * deterministic.
 */
public final class OrbIdempotencyKeys {

    public static final int HEADER_LENGTH_MAX = 64;
    private static final Pattern HEADER_SAFE = Pattern.compile("[A-Za-z0-9._:@/-]+");

    private OrbIdempotencyKeys() {
    }

    /** {@code purpose:id1:id2...}, hashed when too long. */
    public static String of(String purpose, String... ids) {
        if (!HEADER_SAFE.matcher(purpose).matches() || purpose.length() > 16) {
            throw new IllegalArgumentException("a purpose is a short plain word: " + purpose);
        }
        String joined = purpose + ":" + String.join(":", ids);
        if (joined.length() <= HEADER_LENGTH_MAX && HEADER_SAFE.matcher(joined).matches()) {
            return joined;
        }
        String digest = sha256Hex(String.join("\u0000", List.of(ids)));
        return purpose + ":" + digest.substring(0, HEADER_LENGTH_MAX - purpose.length() - 1);
    }

    /** A key for a request whose identity is its whole body (an ingest batch). */
    public static String ofContent(String purpose, String content) {
        String digest = sha256Hex(content);
        return purpose + ":" + digest.substring(0, HEADER_LENGTH_MAX - purpose.length() - 1);
    }

    /**
     * The key Orb dedups a usage event by. The ledger's idempotency key is unique per account only,
     * Orb's per Orb account, so the account id goes first; account ids cannot contain {@code /}, so
     * two different pairs never give the same key.
     */
    public static String usageEvent(String accountId, String ledgerIdempotencyKey) {
        return accountId + "/" + ledgerIdempotencyKey;
    }

    static String sha256Hex(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
