package dev.tally.server.web.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.projections.support.Timestamps;
import dev.tally.server.web.error.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * API keys, stored only as SHA-256 hashes. A secret is shown once, when it is issued or rotated in;
 * the hash is what every request is checked against. A key can be revoked (every secret of it stops
 * working) and rotated (a new secret; the replaced one keeps working for the grace period given).
 * Every change is recorded in {@code api.api_key_change} with the key that made it.
 */
@Component
public class ApiKeyStore {

    /**
     * How long an authenticated secret is trusted without asking the database again. A change made
     * through this server clears the cache at once; one made through another instance is seen here
     * within this time. A rotated secret's grace period is checked against the clock on every request.
     */
    public static final Duration KEY_CACHE_TTL = Duration.ofSeconds(1);
    /** Secrets kept in that cache at most; an unknown secret is never cached. */
    static final int KEY_CACHE_SIZE_MAX = 10_000;
    /** The longest grace period a rotation may give the replaced secret. */
    public static final Duration GRACE_PERIOD_MAX = Duration.ofDays(30);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String KEY_PREFIX = "tly_";
    /** Serialises key changes across server instances, so the last active admin key cannot be revoked by a race. */
    private static final long KEY_CHANGE_LOCK = 0x7a11_0002L;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Cache<String, Credential> credentials = Caffeine.newBuilder()
            .expireAfterWrite(KEY_CACHE_TTL)
            .maximumSize(KEY_CACHE_SIZE_MAX)
            .build();

    public ApiKeyStore(JdbcTemplate jdbc, TransactionTemplate transactions, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** A new key with its secret, which is returned here and nowhere else. */
    public record IssuedKey(String keyId, String secret) {
    }

    /** Who makes a change: the acting key's id (or {@code system:<job>}) and the request's id. */
    public record ChangeOrigin(String actor, String requestId) {
    }

    /**
     * A key as an admin sees it: never its secret or hash. {@code previousSecretValidUntil} is set
     * while a secret replaced by a rotation still works.
     */
    public record KeyRecord(String keyId, String name, Role role, List<String> accountIds, Instant createdAt,
                            Instant revokedAt, Instant previousSecretValidUntil) {

        public boolean revoked() {
            return revokedAt != null;
        }
    }

    /**
     * A rotated key and its new secret, which is returned here and nowhere else. {@code replacedSecretValidUntil}
     * is when the secret this rotation replaced stops working; null when it stopped at once (no grace).
     */
    public record RotatedKey(KeyRecord key, String secret, Instant replacedSecretValidUntil) {
    }

    /** One recorded change of a key. {@code previousSecretValidUntil} is set for a rotation only. */
    public record KeyChange(long changeId, String keyId, String change, String actor, String requestId,
                            Instant changedAt, Instant previousSecretValidUntil) {
    }

    /** Where a page of keys starts: after this key in creation order. */
    public record KeyCursor(Instant createdAt, String keyId) {
    }

    /** A secret's key and, for a secret replaced by a rotation, the instant it stops working. */
    private record Credential(Caller caller, Instant validUntil) {
    }

    public IssuedKey issue(String name, Role role, Set<String> accountIds, ChangeOrigin origin) {
        String secret = newSecret();
        return new IssuedKey(store(name, role, accountIds, secret, origin), secret);
    }

    /** Stores a key whose secret the operator chose (the bootstrap admin key). */
    public String store(String name, Role role, Set<String> accountIds, String secret, ChangeOrigin origin) {
        String keyId = "key_" + randomToken(12);
        Instant now = clock.instant();
        transactions.executeWithoutResult(status -> {
            jdbc.update(connection -> {
                var statement = connection.prepareStatement("""
                        INSERT INTO api.api_key (key_id, key_hash, name, role, account_ids, created_at)
                        VALUES (?, ?, ?, ?, ?, ?)""");
                Array accounts = connection.createArrayOf("text", accountIds.toArray());
                statement.setString(1, keyId);
                statement.setString(2, hash(secret));
                statement.setString(3, name);
                statement.setString(4, role.wireName());
                statement.setArray(5, accounts);
                statement.setObject(6, Timestamps.toSql(now));
                return statement;
            });
            recordChange(keyId, "issued", origin, now, null);
        });
        return keyId;
    }

    public Optional<Caller> authenticate(String secret) {
        String hash = hash(secret);
        Credential credential = credentials.getIfPresent(hash);
        if (credential == null) {
            credential = load(hash).orElse(null);
            if (credential == null) {
                return Optional.empty();
            }
            credentials.put(hash, credential);
        }
        if (credential.validUntil() != null && !clock.instant().isBefore(credential.validUntil())) {
            return Optional.empty();
        }
        return Optional.of(credential.caller());
    }

    public boolean isEmpty() {
        Integer count = jdbc.queryForObject("SELECT count(*) FROM api.api_key", Integer.class);
        return count == null || count == 0;
    }

    public Optional<KeyRecord> find(String keyId) {
        return jdbc.query(KEY_COLUMNS + " WHERE k.key_id = ?", this::keyRecord, Timestamps.toSql(clock.instant()), keyId)
                .stream().findFirst();
    }

    /** Up to {@code limit} keys in the order they were created, after {@code after} when it is set. */
    public List<KeyRecord> list(KeyCursor after, int limit) {
        Object now = Timestamps.toSql(clock.instant());
        if (after == null) {
            return jdbc.query(KEY_COLUMNS + " ORDER BY k.created_at, k.key_id LIMIT ?", this::keyRecord, now, limit);
        }
        return jdbc.query(KEY_COLUMNS + " WHERE (k.created_at, k.key_id) > (?, ?) ORDER BY k.created_at, k.key_id LIMIT ?",
                this::keyRecord, now, Timestamps.toSql(after.createdAt()), after.keyId(), limit);
    }

    /**
     * Revokes every secret of the key from now on. The last active admin key is never revoked: without
     * it no one could issue keys again.
     */
    public KeyRecord revoke(String keyId, ChangeOrigin origin) {
        Instant now = clock.instant();
        try {
            return transactions.execute(status -> {
                KeyRecord key = lockedActiveKey(keyId);
                if (key.role() == Role.ADMIN) {
                    Integer otherAdmins = jdbc.queryForObject("""
                            SELECT count(*) FROM api.api_key WHERE role = 'admin' AND revoked_at IS NULL AND key_id <> ?""",
                            Integer.class, keyId);
                    if (otherAdmins == null || otherAdmins == 0) {
                        throw new ProblemException(ErrorCode.LAST_ADMIN_KEY,
                                "key " + keyId + " is the last active admin key; issue another admin key first");
                    }
                }
                jdbc.update("UPDATE api.api_key SET revoked_at = ? WHERE key_id = ?", Timestamps.toSql(now), keyId);
                recordChange(keyId, "revoked", origin, now, null);
                return find(keyId).orElseThrow();
            });
        } finally {
            credentials.invalidateAll();
        }
    }

    /**
     * Gives the key a new secret; the current one keeps working until now plus {@code gracePeriod}
     * (zero: not at all). A secret replaced earlier keeps its own end.
     */
    public RotatedKey rotate(String keyId, Duration gracePeriod, ChangeOrigin origin) {
        if (gracePeriod.isNegative() || gracePeriod.compareTo(GRACE_PERIOD_MAX) > 0) {
            throw new IllegalArgumentException("a grace period is 0 to " + GRACE_PERIOD_MAX + ": " + gracePeriod);
        }
        Instant now = clock.instant();
        Instant validUntil = now.plus(gracePeriod);
        String secret = newSecret();
        try {
            KeyRecord rotated = transactions.execute(status -> {
                lockedActiveKey(keyId);
                // Secrets whose grace has ended are of no use any more.
                jdbc.update("DELETE FROM api.api_key_retired_secret WHERE key_id = ? AND valid_until <= ?", keyId,
                        Timestamps.toSql(now));
                jdbc.update("""
                        INSERT INTO api.api_key_retired_secret (key_hash, key_id, retired_at, valid_until)
                        SELECT key_hash, key_id, ?, ? FROM api.api_key WHERE key_id = ?""",
                        Timestamps.toSql(now), Timestamps.toSql(validUntil), keyId);
                jdbc.update("UPDATE api.api_key SET key_hash = ? WHERE key_id = ?", hash(secret), keyId);
                recordChange(keyId, "rotated", origin, now, validUntil);
                return find(keyId).orElseThrow();
            });
            return new RotatedKey(rotated, secret, gracePeriod.isZero() ? null : validUntil);
        } finally {
            credentials.invalidateAll();
        }
    }

    /** Up to {@code limit} changes of the key in the order they were made, after {@code afterChangeId}. */
    public List<KeyChange> changes(String keyId, long afterChangeId, int limit) {
        return jdbc.query("""
                SELECT change_id, key_id, change, actor, request_id, changed_at, previous_secret_valid_until
                FROM api.api_key_change WHERE key_id = ? AND change_id > ? ORDER BY change_id LIMIT ?""",
                (row, index) -> new KeyChange(row.getLong(1), row.getString(2), row.getString(3), row.getString(4),
                        row.getString(5), Timestamps.fromSql(row, 6), Timestamps.fromSql(row, 7)),
                keyId, afterChangeId, limit);
    }

    /** The current secret of an active key, or a replaced one still within its grace period. */
    private Optional<Credential> load(String hash) {
        return jdbc.query("""
                SELECT k.key_id, k.role, k.account_ids, NULL::timestamptz
                FROM api.api_key k WHERE k.key_hash = ? AND k.revoked_at IS NULL
                UNION ALL
                SELECT k.key_id, k.role, k.account_ids, r.valid_until
                FROM api.api_key_retired_secret r JOIN api.api_key k ON k.key_id = r.key_id
                WHERE r.key_hash = ? AND k.revoked_at IS NULL""",
                (row, index) -> new Credential(new Caller(row.getString(1), Role.fromWireName(row.getString(2)),
                        new LinkedHashSet<>(accountIds(row, 3))), Timestamps.fromSql(row, 4)), hash, hash)
                .stream().findFirst();
    }

    /** Takes the key-change lock for this transaction and reads the key; unknown or revoked keys are refused. */
    private KeyRecord lockedActiveKey(String keyId) {
        jdbc.queryForObject("SELECT pg_advisory_xact_lock(?)", Object.class, KEY_CHANGE_LOCK);
        KeyRecord key = find(keyId)
                .orElseThrow(() -> new ProblemException(ErrorCode.UNKNOWN_API_KEY, "no API key " + keyId));
        if (key.revoked()) {
            throw new ProblemException(ErrorCode.API_KEY_REVOKED, "key " + keyId + " was revoked at " + key.revokedAt());
        }
        return key;
    }

    private void recordChange(String keyId, String change, ChangeOrigin origin, Instant at, Instant previousValidUntil) {
        jdbc.update("""
                INSERT INTO api.api_key_change (key_id, change, actor, request_id, changed_at, previous_secret_valid_until)
                VALUES (?, ?, ?, ?, ?, ?)""", keyId, change, origin.actor(), origin.requestId(), Timestamps.toSql(at),
                Timestamps.toSql(previousValidUntil));
    }

    /** The first parameter is the clock's now, against which a replaced secret's grace is judged. */
    private static final String KEY_COLUMNS = """
            SELECT k.key_id, k.name, k.role, k.account_ids, k.created_at, k.revoked_at,
                   CASE WHEN k.revoked_at IS NULL THEN (SELECT max(r.valid_until) FROM api.api_key_retired_secret r
                                                        WHERE r.key_id = k.key_id AND r.valid_until > ?) END
            FROM api.api_key k""";

    private KeyRecord keyRecord(ResultSet row, int index) throws SQLException {
        return new KeyRecord(row.getString(1), row.getString(2), Role.fromWireName(row.getString(3)), accountIds(row, 4),
                Timestamps.fromSql(row, 5), Timestamps.fromSql(row, 6), Timestamps.fromSql(row, 7));
    }

    private static List<String> accountIds(ResultSet row, int column) throws SQLException {
        return new ArrayList<>(List.of((String[]) row.getArray(column).getArray()));
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JVM has SHA-256", impossible);
        }
    }

    private static String newSecret() {
        return KEY_PREFIX + randomToken(32);
    }

    private static String randomToken(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
