package dev.tally.integrations.orb.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Checks {@code X-Orb-Signature} against {@code X-Orb-Timestamp} and the raw body as Orb's SDKs do:
 * HMAC-SHA256 keyed with the secret's UTF-8 bytes, lowercase hex, any of several space-separated
 * {@code v1=} values may match, and the timestamp (a UTC date-time without offset) must be within
 * {@link #TOLERANCE} either way.
 */
public class OrbWebhookVerifier {

    public static final Duration TOLERANCE = Duration.ofMinutes(5);
    private static final String SCHEME = "v1=";

    private final byte[] secret;
    private final Clock clock;

    public OrbWebhookVerifier(String secret, Clock clock) {
        Objects.requireNonNull(secret, "secret");
        if (secret.isBlank()) {
            throw new IllegalArgumentException("the Orb webhook secret is empty");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    public void verify(String body, String timestampHeader, String signatureHeader) throws OrbSignatureException {
        if (timestampHeader == null || signatureHeader == null || body == null) {
            throw new OrbSignatureException("missing X-Orb-Timestamp or X-Orb-Signature");
        }
        Instant sent;
        try {
            // Like orb-java: LocalDateTime, so an offset such as "Z" is refused.
            sent = LocalDateTime.parse(timestampHeader).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException malformed) {
            throw new OrbSignatureException("X-Orb-Timestamp is not a UTC date-time without offset");
        }
        Instant now = clock.instant();
        if (sent.isBefore(now.minus(TOLERANCE))) {
            throw new OrbSignatureException("webhook timestamp too old");
        }
        if (sent.isAfter(now.plus(TOLERANCE))) {
            throw new OrbSignatureException("webhook timestamp too new");
        }
        byte[] expected = HexFormat.of().formatHex(sign(timestampHeader, body)).getBytes(StandardCharsets.US_ASCII);
        for (String candidate : signatureHeader.trim().split(" +")) {
            if (candidate.startsWith(SCHEME) && MessageDigest.isEqual(expected,
                    candidate.substring(SCHEME.length()).getBytes(StandardCharsets.US_ASCII))) {
                return;
            }
        }
        throw new OrbSignatureException("no v1 signature matches");
    }

    /** The header value Orb would send for {@code body} at {@code timestamp} (for tests and fakes). */
    public String signatureHeader(String timestamp, String body) {
        return SCHEME + HexFormat.of().formatHex(sign(timestamp, body));
    }

    private byte[] sign(String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(("v1:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException missingAlgorithm) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", missingAlgorithm);
        }
    }
}
