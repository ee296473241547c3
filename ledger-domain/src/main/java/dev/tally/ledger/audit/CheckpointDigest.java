package dev.tally.ledger.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The digest of a checkpoint: SHA-256 over the head of every stream at a global position, so
 * that a stream removed whole, or cut short at its end, changes it although no link of any
 * remaining chain breaks. Heads are fed in the order of their aggregate identifiers' UTF-8 bytes
 * (PostgreSQL's {@code COLLATE "C"}), each as {@code <id>\n<sequence>\n<hash hex>\n}, after the
 * header {@code tally-checkpoint-v1\n<position>\n}. Recomputable by anyone from the event table.
 */
public final class CheckpointDigest {

    /** The order heads must be fed in: the UTF-8 bytes of the aggregate identifier, unsigned. */
    public static final Comparator<String> HEAD_ORDER = (left, right) -> Arrays.compareUnsigned(
            left.getBytes(StandardCharsets.UTF_8), right.getBytes(StandardCharsets.UTF_8));

    private final MessageDigest sha256 = EventHashes.newSha256();
    private String lastAggregate;
    private long streams;

    public CheckpointDigest(long position) {
        sha256.update(("tally-checkpoint-v1\n" + position + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Adds the next head; heads must come in {@link #HEAD_ORDER}, each stream once. */
    public CheckpointDigest add(StreamHead head) {
        if (lastAggregate != null && HEAD_ORDER.compare(lastAggregate, head.aggregateIdentifier()) >= 0) {
            throw new IllegalArgumentException("stream heads out of order: " + head.aggregateIdentifier()
                    + " after " + lastAggregate);
        }
        lastAggregate = head.aggregateIdentifier();
        streams++;
        sha256.update((head.aggregateIdentifier() + "\n" + head.sequenceNumber() + "\n"
                + EventHashes.hex(head.hash()) + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public long streams() {
        return streams;
    }

    /** The digest, hex; the instance is spent afterwards. */
    public String finish() {
        return EventHashes.hex(sha256.digest());
    }
}
