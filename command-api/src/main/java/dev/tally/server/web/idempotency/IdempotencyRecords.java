package dev.tally.server.web.idempotency;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The responses kept per (API key, Idempotency-Key), so that a retried POST replays the first answer. */
@Component
class IdempotencyRecords {

    static final int IN_PROGRESS = 0;
    /**
     * How long after its last renewal a claim counts as abandoned (the server died between claiming
     * the key and storing the answer, or could not release it because the database was down), so
     * that a retry may run the request again. A running request renews its claim every
     * {@link ClaimLeases#RENEW_EVERY}, so only a dead or cut-off server lets a claim age this far.
     */
    static final Duration ABANDONED_AFTER = Duration.ofSeconds(10);

    record Stored(String requestHash, int status, String contentType, String ledgerPosition, String location,
                  byte[] body) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    IdempotencyRecords(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Claims the key for this request; false when another request holds or held it. A claim
     * abandoned longer than {@link #ABANDONED_AFTER} ago is taken over.
     */
    boolean claim(String keyId, String idempotencyKey, String requestHash) {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        boolean claimed = jdbc.update("""
                INSERT INTO api.idempotency_record (key_id, idempotency_key, request_hash, status, created_at)
                VALUES (?, ?, ?, 0, ?) ON CONFLICT (key_id, idempotency_key) DO NOTHING""",
                keyId, idempotencyKey, requestHash, now) == 1;
        return claimed || jdbc.update("""
                UPDATE api.idempotency_record SET request_hash = ?, created_at = ?
                WHERE key_id = ? AND idempotency_key = ? AND status = 0 AND created_at < ?""",
                requestHash, now, keyId, idempotencyKey, OffsetDateTime.ofInstant(clock.instant().minus(ABANDONED_AFTER), ZoneOffset.UTC)) == 1;
    }

    Optional<Stored> find(String keyId, String idempotencyKey) {
        List<Stored> rows = jdbc.query("""
                SELECT request_hash, status, content_type, headers ->> 'Ledger-Position', headers ->> 'Location', body
                FROM api.idempotency_record WHERE key_id = ? AND idempotency_key = ?""",
                (row, index) -> new Stored(row.getString(1), row.getInt(2), row.getString(3), row.getString(4),
                        row.getString(5), row.getBytes(6)), keyId, idempotencyKey);
        return rows.stream().findFirst();
    }

    void complete(String keyId, String idempotencyKey, int status, String contentType, String ledgerPosition,
                  String location, byte[] body) {
        jdbc.update("""
                UPDATE api.idempotency_record SET status = ?, content_type = ?,
                    headers = jsonb_strip_nulls(jsonb_build_object('Ledger-Position', ?::text, 'Location', ?::text)),
                    body = ?
                WHERE key_id = ? AND idempotency_key = ?""",
                status, contentType, ledgerPosition, location, body, keyId, idempotencyKey);
    }

    /** Marks the claims of requests still running as alive, so that none is taken for abandoned. */
    void renew(List<ClaimLeases.Claim> claims) {
        if (claims.isEmpty()) {
            return;
        }
        String[] keyIds = claims.stream().map(ClaimLeases.Claim::keyId).toArray(String[]::new);
        String[] keys = claims.stream().map(ClaimLeases.Claim::idempotencyKey).toArray(String[]::new);
        jdbc.update("""
                UPDATE api.idempotency_record r SET created_at = ?
                FROM unnest(?::text[], ?::text[]) AS live(key_id, idempotency_key)
                WHERE r.key_id = live.key_id AND r.idempotency_key = live.idempotency_key AND r.status = 0""",
                OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC), keyIds, keys);
    }

    void release(String keyId, String idempotencyKey) {
        jdbc.update("DELETE FROM api.idempotency_record WHERE key_id = ? AND idempotency_key = ? AND status = 0",
                keyId, idempotencyKey);
    }
}
