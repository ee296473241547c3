package dev.tally.server.web.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ledger.testing.MovableClock;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.ServerTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

// Goal: a claim on an Idempotency-Key is a lease: a running request keeps it by renewing, an abandoned one lapses after ten seconds.
class IdempotencyClaimLeaseTest extends ServerTest {

    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    /** Request hashes are SHA-256 in hex, 64 characters. */
    private static final String FIRST_HASH = "a".repeat(64);
    private static final String SECOND_HASH = "b".repeat(64);

    @Autowired
    private JdbcTemplate jdbc;

    private final MovableClock clock = new MovableClock(START);
    private IdempotencyRecords records;
    private String key;

    @BeforeEach
    void claimAKey() {
        records = new IdempotencyRecords(jdbc, clock);
        key = Api.unique("lease");
        assertThat(records.claim("key_test", key, FIRST_HASH)).isTrue();
    }

    @Test
    void anAbandonedClaimLapsesTenSecondsAfterItWasTaken() {
        clock.set(START.plus(IdempotencyRecords.ABANDONED_AFTER).minusMillis(1));
        assertThat(records.claim("key_test", key, SECOND_HASH)).as("still held").isFalse();
        clock.set(START.plus(IdempotencyRecords.ABANDONED_AFTER).plusMillis(1));
        assertThat(records.claim("key_test", key, SECOND_HASH)).as("lapsed").isTrue();
        assertThat(records.find("key_test", key).orElseThrow().requestHash()).isEqualTo(SECOND_HASH);
    }

    @Test
    void aRenewedClaimIsHeldTenSecondsFromItsLastRenewal() {
        Instant renewed = START.plus(Duration.ofSeconds(8));
        clock.set(renewed);
        records.renew(List.of(new ClaimLeases.Claim("key_test", key)));
        clock.set(START.plus(IdempotencyRecords.ABANDONED_AFTER).plusSeconds(5));
        assertThat(records.claim("key_test", key, SECOND_HASH)).as("renewed at +8 s, so held until +18 s").isFalse();
        clock.set(renewed.plus(IdempotencyRecords.ABANDONED_AFTER).plusMillis(1));
        assertThat(records.claim("key_test", key, SECOND_HASH)).isTrue();
    }

    @Test
    void aCompletedAnswerIsNeverTakenOver() {
        records.complete("key_test", key, 201, "application/json", "7", null, "{}".getBytes());
        records.renew(List.of(new ClaimLeases.Claim("key_test", key)));
        clock.set(START.plus(Duration.ofDays(1)));
        assertThat(records.claim("key_test", key, SECOND_HASH)).isFalse();
        assertThat(records.find("key_test", key).orElseThrow().status()).isEqualTo(201);
    }

    @Test
    void leasesRenewEveryTwoSecondsWellWithinTheTenTheyLast() {
        // Four renewals could be missed (a stalled thread, a slow database) before a running request loses its key.
        assertThat(IdempotencyRecords.ABANDONED_AFTER).isGreaterThanOrEqualTo(ClaimLeases.RENEW_EVERY.multipliedBy(4));
    }
}
