package dev.tally.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Why: a rate counts only what the server acknowledged, so it means something only if the ledger
 * holds exactly that: every accepted usage event stored once, none lost, none twice. Counted in SQL
 * over {@code events.usage_event}, which lists each usage event whichever way it was stored.
 */
record StoredOnce(String keyPrefix, long accepted, long stored, long keys, long keysStoredMoreThanOnce) {

    /** The usage events whose idempotency key starts with {@code keyPrefix} (a phase's, e.g. "a-"). */
    static StoredOnce check(Connection sql, String keyPrefix, long accepted) throws SQLException {
        try (PreparedStatement query = sql.prepareStatement("""
                SELECT coalesce(sum(copies), 0), count(*), count(*) FILTER (WHERE copies > 1)
                FROM (SELECT usage ->> 'idempotencyKey' AS idempotency_key, count(*) AS copies
                      FROM events.usage_event WHERE starts_with(usage ->> 'idempotencyKey', ?)
                      GROUP BY 1) stored""")) {
            query.setString(1, keyPrefix);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return new StoredOnce(keyPrefix, accepted, row.getLong(1), row.getLong(2), row.getLong(3));
            }
        }
    }

    /** Each key stored once, and as many stored as accepted. */
    boolean holds() {
        return keysStoredMoreThanOnce == 0 && stored == accepted && keys == accepted;
    }

    String describe() {
        return String.format("%s usage events with keys %s*: %d accepted, %d stored under %d keys, %d keys stored more"
                + " than once", holds() ? "OK" : "FAILED", keyPrefix, accepted, stored, keys, keysStoredMoreThanOnce);
    }
}
