package dev.tally.server.web.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Array;
import dev.tally.projections.support.Timestamps;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * API keys, stored only as SHA-256 hashes. A key is shown once, when it is created; the hash is
 * what every request is checked against (cached, since keys never change).
 */
@Component
public class ApiKeyStore {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String KEY_PREFIX = "tly_";

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final ConcurrentMap<String, Caller> byHash = new ConcurrentHashMap<>();

    public ApiKeyStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A new key with its secret, which is returned here and nowhere else. */
    public record IssuedKey(String keyId, String secret) {
    }

    public IssuedKey issue(String name, Role role, Set<String> accountIds) {
        String secret = KEY_PREFIX + randomToken(32);
        return new IssuedKey(store(name, role, accountIds, secret), secret);
    }

    /** Stores a key whose secret the operator chose (the bootstrap admin key). */
    public String store(String name, Role role, Set<String> accountIds, String secret) {
        String keyId = "key_" + randomToken(12);
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
            statement.setObject(6, Timestamps.toSql(clock.instant()));
            return statement;
        });
        return keyId;
    }

    public Optional<Caller> authenticate(String secret) {
        String hash = hash(secret);
        Caller cached = byHash.get(hash);
        if (cached != null) {
            return Optional.of(cached);
        }
        List<Caller> found = jdbc.query("SELECT key_id, role, account_ids FROM api.api_key WHERE key_hash = ?",
                (row, index) -> new Caller(row.getString(1), Role.fromWireName(row.getString(2)),
                        Set.of((String[]) row.getArray(3).getArray())), hash);
        found.forEach(caller -> byHash.put(hash, caller));
        return found.stream().findFirst();
    }

    public boolean isEmpty() {
        Integer count = jdbc.queryForObject("SELECT count(*) FROM api.api_key", Integer.class);
        return count == null || count == 0;
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JVM has SHA-256", impossible);
        }
    }

    private static String randomToken(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
