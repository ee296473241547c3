package dev.tally.bench;

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

// Why: the floor the server is compared against: the same rows, table shape, database and thread count, written by plain batched JDBC inserts with none of the ledger's work.
final class JdbcBaseline {

    static final String SCHEMA = "bench_baseline";

    /** A stored usage event used as the template of every baseline row, so that rows are the same size. */
    record Template(String type, String metaData, String payload, String payloadRevision, String payloadType) {
    }

    /** What the baseline measured. */
    record Result(long rows, long elapsedNanos) {
        double eventsPerSecond() {
            return rows / (elapsedNanos / 1e9);
        }
    }

    private final BenchDatabase database;
    private final ObjectMapper json = new ObjectMapper();

    JdbcBaseline(BenchDatabase database) {
        this.database = database;
    }

    /**
     * The newest usage event the server stored: its JSON is what the baseline writes, one usage
     * event per row. From a stored batch it takes the first entry, as a {@code UsageRecorded} row:
     * the baseline stays what storing each usage event as its own row costs on this machine.
     */
    static Template template(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("""
                     SELECT type, metaData::text,
                            CASE WHEN payloadType LIKE '%.UsageBatchRecorded' THEN (payload -> 'usages' -> 0)::text
                                 ELSE payload::text END,
                            payloadRevision, replace(payloadType, 'UsageBatchRecorded', 'UsageRecorded')
                     FROM events.domain_event_entry WHERE payloadType LIKE '%.Usage%Recorded'
                     ORDER BY globalIndex DESC LIMIT 1""")) {
            if (!row.next()) {
                throw new IllegalStateException("the server stored no UsageRecorded event to copy");
            }
            return new Template(row.getString(1), row.getString(2), row.getString(3), row.getString(4), row.getString(5));
        }
    }

    /**
     * A copy of the server's event table as its migrations left it: the same column types, defaults
     * (the same global-index sequence), keys and indexes, so the baseline can never drift from it.
     * Triggers are not copied: the baseline does none of the ledger's work, not even the hash chain.
     */
    void createTable() throws SQLException {
        try (Connection connection = database.superuserConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + SCHEMA);
            statement.execute("CREATE TABLE " + SCHEMA + ".domain_event_entry (LIKE events.domain_event_entry INCLUDING ALL)");
        }
    }

    /**
     * Inserts {@code totalRows} rows from {@code threads} threads, {@code batchSize} rows per
     * executeBatch and one commit per batch; rows of a batch cover {@code accountsPerBatch} accounts
     * as in phase (a), with per-account sequence numbers.
     */
    Result run(Template template, long totalRows, int batchSize, int accounts, int accountsPerBatch, int threads)
            throws Exception {
        int perBatchAccounts = Math.max(1, Math.min(accountsPerBatch, Math.min(accounts, batchSize)));
        ObjectNode payloadTemplate = (ObjectNode) json.readTree(template.payload());
        long batches = (totalRows + batchSize - 1) / batchSize;
        AtomicLong nextBatch = new AtomicLong();
        AtomicLong inserted = new AtomicLong();
        AtomicLongArray sequences = new AtomicLongArray(accounts);
        String sql = "INSERT INTO " + SCHEMA + ".domain_event_entry (aggregateIdentifier, sequenceNumber, type,"
                + " eventIdentifier, metaData, payload, payloadRevision, payloadType, timeStamp, prevHash, hash)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        // Rows as large as the server's, hash-chain columns included, but nothing computes them.
        byte[] filler = new byte[32];
        long start = System.nanoTime();
        HttpLoad.runOnThreads(threads, "jdbc", () -> {
            ObjectNode payload = payloadTemplate.deepCopy();
            try (Connection connection = database.superuserConnection();
                 PreparedStatement insert = connection.prepareStatement(sql)) {
                connection.setAutoCommit(false);
                for (long batch = nextBatch.getAndIncrement(); batch < batches; batch = nextBatch.getAndIncrement()) {
                    int size = (int) Math.min(batchSize, totalRows - batch * batchSize);
                    int firstAccount = (int) ((batch * perBatchAccounts) % accounts);
                    for (int k = 0; k < size; k++) {
                        int account = (firstAccount + k % perBatchAccounts) % accounts;
                        String accountId = HttpLoad.accountId(account);
                        if (payload.has("accountId")) {
                            payload.put("accountId", accountId);
                        }
                        if (payload.has("idempotencyKey")) {
                            payload.put("idempotencyKey", "c-" + batch + "-" + k);
                        }
                        insert.setString(1, accountId);
                        insert.setLong(2, sequences.getAndIncrement(account));
                        insert.setString(3, template.type());
                        insert.setString(4, UUID.randomUUID().toString());
                        insert.setString(5, template.metaData());
                        insert.setString(6, payload.toString());
                        insert.setString(7, template.payloadRevision());
                        insert.setString(8, template.payloadType());
                        insert.setString(9, Instant.now().toString());
                        insert.setBytes(10, filler);
                        insert.setBytes(11, filler);
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
