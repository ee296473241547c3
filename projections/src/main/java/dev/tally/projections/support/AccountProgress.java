package dev.tally.projections.support;

import java.sql.Array;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The redelivery guard of a projection: the last aggregate sequence it applied per account. An
 * event at or below it was applied already and is skipped, so redelivery changes nothing.
 */
public final class AccountProgress {

    private final Map<String, Long> lastSequence = new HashMap<>();

    private AccountProgress() {
    }

    /** Loads the last applied sequence of {@code accounts} from {@code table} in one query. */
    public static AccountProgress load(JdbcTemplate jdbc, String table, Collection<String> accounts) {
        AccountProgress progress = new AccountProgress();
        if (accounts.isEmpty()) {
            return progress;
        }
        jdbc.query(connection -> {
            var statement = connection.prepareStatement(
                    "SELECT account_id, last_sequence FROM " + table + " WHERE account_id = ANY (?)");
            Array ids = connection.createArrayOf("text", accounts.toArray());
            statement.setArray(1, ids);
            return statement;
        }, row -> {
            progress.lastSequence.put(row.getString(1), row.getLong(2));
        });
        return progress;
    }

    /** Whether the event {@code sequence} of {@code account} is new; if so, it counts as applied from now on. */
    public boolean advance(String account, long sequence) {
        Long last = lastSequence.get(account);
        if (last != null && sequence <= last) {
            return false;
        }
        lastSequence.put(account, sequence);
        return true;
    }

    public boolean isKnown(String account) {
        return lastSequence.containsKey(account);
    }

    public long lastSequenceOf(String account) {
        return lastSequence.get(account);
    }
}
