package dev.tally.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

// Why: baseline (c), the floor of storing usage as plain rows: the same usage events, table shape, database and thread count, written by plain batched JDBC inserts with none of the ledger's work; and the table, INSERT and rows that baseline (d) shares with it.
final class JdbcBaseline {

    static final String SCHEMA = "bench_baseline";
    /** Baseline (c): one row per usage event. */
    static final String ROW_PER_USAGE_EVENT = SCHEMA + ".row_per_usage_event";
    /** Rows as large as the server's, hash-chain columns included, but nothing computes them. */
    private static final byte[] HASH_FILLER = new byte[32];

    /** A stored event used as the template of baseline rows, so that rows are the same size as the server's. */
    record Template(String type, String metaData, String payload, String payloadRevision, String payloadType) {
    }

    /** What the baseline measured. */
    record Result(long rows, long elapsedNanos) {
        double eventsPerSecond() {
            return rows / (elapsedNanos / 1e9);
        }
    }

    private final BenchDatabase database;
    private final String databaseName;
    private final ObjectMapper json = new ObjectMapper();

    JdbcBaseline(BenchDatabase database, String databaseName) {
        this.database = database;
        this.databaseName = databaseName;
    }

    /**
     * The newest usage event the server stored at positions (after, upTo]: its JSON is what the
     * baseline writes, one usage event per row. From a stored batch it takes the first entry, as a
     * {@code UsageRecorded} row: the baseline stays what storing each usage event as its own row
     * costs on this machine.
     */
    static Template template(Connection connection, long after, long upTo) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT type, metaData::text,
                       CASE WHEN payloadType LIKE '%.UsageBatchRecorded' THEN (payload -> 'usages' -> 0)::text
                            ELSE payload::text END,
                       payloadRevision, replace(payloadType, 'UsageBatchRecorded', 'UsageRecorded')
                FROM events.domain_event_entry
                WHERE payloadType LIKE '%.Usage%Recorded' AND globalIndex > ? AND globalIndex <= ?
                ORDER BY globalIndex DESC LIMIT 1""")) {
            query.setLong(1, after);
            query.setLong(2, upTo);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("the server stored no usage event to copy");
                }
                return new Template(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                        row.getString(5));
            }
        }
    }

    /**
     * A copy of the server's event table as its migrations left it: the same column types, defaults
     * (the same global-index sequence), keys and indexes, so the baseline can never drift from it.
     * Triggers are not copied: the baseline does none of the ledger's work, not even the hash chain.
     */
    void createTable(String table) throws SQLException {
        try (Connection connection = database.superuserConnection(databaseName);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
            statement.execute("CREATE TABLE " + table + " (LIKE events.domain_event_entry INCLUDING ALL)");
        }
    }

    Connection connection() throws SQLException {
        return database.superuserConnection(databaseName);
    }

    /** The INSERT of one row into {@code table}, its parameters bound by {@link #bind}. */
    static String insertInto(String table) {
        return "INSERT INTO " + table + " (aggregateIdentifier, sequenceNumber, type, eventIdentifier, metaData, payload,"
                + " payloadRevision, payloadType, timeStamp, prevHash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }

    static void bind(PreparedStatement insert, String accountId, long sequence, Template template, String payload)
            throws SQLException {
        insert.setString(1, accountId);
        insert.setLong(2, sequence);
        insert.setString(3, template.type());
        insert.setString(4, UUID.randomUUID().toString());
        insert.setString(5, template.metaData());
        insert.setString(6, payload);
        insert.setString(7, template.payloadRevision());
        insert.setString(8, template.payloadType());
        insert.setString(9, Instant.now().toString());
        insert.setBytes(10, HASH_FILLER);
        insert.setBytes(11, HASH_FILLER);
    }

    /**
     * Makes a template's payload another account's and its usage another one: the account and the
     * idempotency keys change, at the top and in every entry of a stored batch; keys are
     * {@code keyPrefix} (an entry's with "-" and its place), so rows differ as the server's do.
     */
    static void rewrite(ObjectNode payload, String accountId, String keyPrefix) {
        if (payload.has("accountId")) {
            payload.put("accountId", accountId);
        }
        if (payload.has("idempotencyKey")) {
            payload.put("idempotencyKey", keyPrefix);
        }
        int entry = 0;
        for (JsonNode usage : payload.path("usages")) {
            if (usage instanceof ObjectNode usageEvent) {
                usageEvent.put("accountId", accountId);
                usageEvent.put("idempotencyKey", keyPrefix + "-" + entry);
            }
            entry++;
        }
    }

    /**
     * Baseline (c): inserts {@code totalRows} rows from {@code threads} threads, {@code batchSize}
     * rows per executeBatch and one commit per batch; rows of a batch cover {@code accountsPerBatch}
     * accounts as in phase (a), with per-account sequence numbers.
     */
    Result run(Template template, long totalRows, int batchSize, int accounts, int accountsPerBatch, int threads)
            throws Exception {
        int perBatchAccounts = Math.max(1, Math.min(accountsPerBatch, Math.min(accounts, batchSize)));
        ObjectNode payloadTemplate = (ObjectNode) json.readTree(template.payload());
        long batches = (totalRows + batchSize - 1) / batchSize;
        AtomicLong nextBatch = new AtomicLong();
        AtomicLong inserted = new AtomicLong();
        AtomicLongArray sequences = new AtomicLongArray(accounts);
        String sql = insertInto(ROW_PER_USAGE_EVENT);
        long start = System.nanoTime();
        HttpLoad.runOnThreads(threads, "jdbc", () -> {
            ObjectNode payload = payloadTemplate.deepCopy();
            try (Connection connection = connection(); PreparedStatement insert = connection.prepareStatement(sql)) {
                connection.setAutoCommit(false);
                for (long batch = nextBatch.getAndIncrement(); batch < batches; batch = nextBatch.getAndIncrement()) {
                    int size = (int) Math.min(batchSize, totalRows - batch * batchSize);
                    int firstAccount = (int) ((batch * perBatchAccounts) % accounts);
                    for (int k = 0; k < size; k++) {
                        int account = (firstAccount + k % perBatchAccounts) % accounts;
                        String accountId = HttpLoad.accountId(account);
                        rewrite(payload, accountId, "c-" + batch + "-" + k);
                        bind(insert, accountId, sequences.getAndIncrement(account), template, payload.toString());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    connection.commit();
                    inserted.addAndGet(size);
                }
            }
            return null;
        });
        return new Result(inserted.get(), System.nanoTime() - start);
    }
}
