package dev.tally.ledger.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

// Goal: the Java hash chain and checkpoint digest match figures computed independently
// (printf | sha256sum over the documented encoding), so an auditor's own script agrees with us.
class EventHashesTest {

    private static final HashedEvent OPENED = new HashedEvent(7, "acc-1", 0, "Account", "e-01",
            "dev.tally.ledger.api.account.AccountOpened", null, "2026-11-01T10:00:00.000001Z", "{}",
            "{\"name\":\"Zoë\"}");

    @Test
    void linksTheFirstEventOfAStreamToZeroBytesOverLengthPrefixedUtf8Fields() {
        byte[] hash = new EventHashes().link(EventHashes.GENESIS, OPENED);

        assertThat(EventHashes.hex(hash)).isEqualTo("f59cf5e71984738188c8a531e9a7714b5017a9d19db4d7fcf5bb5955d374f541");
    }

    @Test
    void anyChangedByteChangesTheLink() {
        EventHashes hashes = new EventHashes();
        byte[] original = hashes.link(EventHashes.GENESIS, OPENED);
        HashedEvent edited = new HashedEvent(7, "acc-1", 0, "Account", "e-01",
                "dev.tally.ledger.api.account.AccountOpened", null, "2026-11-01T10:00:00.000001Z", "{}",
                "{\"name\":\"Zoe\"}");

        assertThat(hashes.link(EventHashes.GENESIS, edited)).isNotEqualTo(original);
        assertThat(hashes.link(original, OPENED)).isNotEqualTo(original);
    }

    @Test
    void digestsStreamHeadsInUtf8OrderWithThePosition() {
        CheckpointDigest digest = new CheckpointDigest(42)
                .add(new StreamHead("a", 3, filled(0x11)))
                .add(new StreamHead("b", 0, filled(0x22)));

        assertThat(digest.streams()).isEqualTo(2);
        assertThat(digest.finish()).isEqualTo("7290d39931328ff4344d82fee5b4bb5c97b1a9fa67a0496a366f203e5ca1aaaf");
    }

    @Test
    void refusesHeadsOutOfOrderOrTwice() {
        CheckpointDigest digest = new CheckpointDigest(1).add(new StreamHead("b", 0, filled(1)));

        assertThatThrownBy(() -> digest.add(new StreamHead("a", 0, filled(1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> digest.add(new StreamHead("b", 1, filled(1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ordersIdentifiersByUtf8BytesLikePostgresCollateC() {
        assertThat(CheckpointDigest.HEAD_ORDER.compare("Z", "a")).isNegative();
        assertThat(CheckpointDigest.HEAD_ORDER.compare("plan/x", "plan-x")).isPositive();
        assertThat(CheckpointDigest.HEAD_ORDER.compare("\uFFFD", "\uD83D\uDE00")).isNegative();
    }

    private static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
