package dev.tally.ledger.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash chain of an event stream: {@code hash = SHA-256(prevHash || canonical bytes)}. The
 * database trigger {@code events.chain_event} computes the same link when an event is appended;
 * keep the two in step (the migration {@code V20261125_1700__event_hash_chain.sql} documents the
 * encoding).
 */
public final class EventHashes {

    /** What the first event of a stream links to. */
    public static final byte[] GENESIS = new byte[32];

    private static final byte[] HEADER = "tally-event-v1\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NULL_FIELD = "~\n".getBytes(StandardCharsets.UTF_8);

    private final MessageDigest sha256 = newSha256();

    /** The link of {@code event} after {@code previousHash}. Not thread-safe: one instance per thread. */
    public byte[] link(byte[] previousHash, HashedEvent event) {
        sha256.reset();
        sha256.update(previousHash);
        sha256.update(HEADER);
        field(Long.toString(event.globalIndex()));
        field(event.aggregateIdentifier());
        field(Long.toString(event.sequenceNumber()));
        field(event.type());
        field(event.eventIdentifier());
        field(event.payloadType());
        field(event.payloadRevision());
        field(event.timeStamp());
        field(event.metaData());
        field(event.payload());
        return sha256.digest();
    }

    public static String hex(byte[] hash) {
        return hash == null ? null : HexFormat.of().formatHex(hash);
    }

    public static byte[] fromHex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private void field(String value) {
        if (value == null) {
            sha256.update(NULL_FIELD);
            return;
        }
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        sha256.update((text.length + ":").getBytes(StandardCharsets.US_ASCII));
        sha256.update(text);
        sha256.update((byte) '\n');
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java runtime has SHA-256", impossible);
        }
    }
}
