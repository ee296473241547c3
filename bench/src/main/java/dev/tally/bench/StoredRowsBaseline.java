package dev.tally.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Why: baseline (c) stores one row per usage event, which the server does not do, so a/c compares
 * unlike work. Baseline (d) writes what the server wrote for phase (a), in the way it wrote it: as
 * many rows, of the same types and entries per row (a request's usage for one account is one
 * {@code UsageBatchRecorded}), with payloads and metadata of the same size, one transaction per
 * account part of a request, as many transactions as the server committed. What is left between
 * (a) and (d) is the ledger's own work: HTTP, rating, deduplication, Axon, the hash chain, and the
 * projections and the warehouse export beside them.
 */
final class StoredRowsBaseline {

    /** Baseline (d): the server's rows for phase (a), rewritten. */
    static final String ROWS_AS_STORED = JdbcBaseline.SCHEMA + ".rows_as_stored";

    /** The rows the server stored for one account part of one request, in sequence order, in one transaction. */
    record Part(String accountId, long[] sequences, int[] shapes) {
    }

    /** One kind of stored row: its payload type and how many usage events it holds (0 for other events). */
    record Shape(String payloadType, int usageEvents) {
    }

    /**
     * What the server stored for phase (a): its transactions in the order it wrote them (by first position) and,
     * per shape, the stored row whose payload is nearest the shape's mean size.
     */
    record Stored(List<Part> parts, List<Shape> shapes, List<JdbcBaseline.Template> templates, long rows,
                  long usageEvents) {
    }

    /** What the baseline measured. */
    record Result(long transactions, long rows, long usageEvents, long elapsedNanos) {
        double usageEventsPerSecond() {
            return usageEvents / (elapsedNanos / 1e9);
        }
    }

    /** Parts read from PostgreSQL at a time, so that a large run's parts are streamed, not held twice. */
    private static final int PARTS_PER_FETCH = 10_000;

    /** The stored rows of positions (after, upTo], each with its shape and the command that stored it. */
    private static final String ROWS = """
            SELECT globalIndex, aggregateIdentifier, sequenceNumber, payloadType, type, metaData, payload, payloadRevision,
                   metaData ->> 'causationId' AS command,
                   CASE WHEN payloadType = 'dev.tally.ledger.api.usage.UsageBatchRecorded'
                        THEN json_array_length(payload -> 'usages')
                        WHEN payloadType = 'dev.tally.ledger.api.usage.UsageRecorded' THEN 1 ELSE 0 END AS usage_events
            FROM events.domain_event_entry WHERE globalIndex > ? AND globalIndex <= ?""";

    private final JdbcBaseline jdbc;
    private final ObjectMapper json = new ObjectMapper();

    StoredRowsBaseline(JdbcBaseline jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Reads how the server stored positions (after, upTo]: the rows of every command that stored
     * usage, grouped by that command (its causation id: one command is one transaction), and a
     * template per shape. Events of other commands in the range (a scheduled checkpoint) are left out.
     */
    static Stored read(Connection sql, long after, long upTo) throws SQLException {
        List<Part> parts = new ArrayList<>();
        Map<Shape, Integer> shapeIds = new HashMap<>();
        List<Shape> shapes = new ArrayList<>();
        // Parts of one account share its id instead of each holding a copy (a large run has many parts per account).
        Map<String, String> accountIds = new HashMap<>();
        long rows = 0;
        long usageEvents = 0;
        boolean autoCommit = sql.getAutoCommit();
        // PostgreSQL's driver streams a result by the fetch size only inside a transaction.
        sql.setAutoCommit(false);
        try (PreparedStatement query = overRows(sql, after, upTo, """
                SELECT aggregateIdentifier, array_agg(sequenceNumber ORDER BY sequenceNumber),
                       array_agg(payloadType ORDER BY sequenceNumber), array_agg(usage_events ORDER BY sequenceNumber),
                       bool_or(command IS NULL)
                FROM r GROUP BY aggregateIdentifier, command HAVING sum(usage_events) > 0 ORDER BY min(globalIndex)""")) {
            query.setFetchSize(PARTS_PER_FETCH);
            try (ResultSet part = query.executeQuery()) {
                while (part.next()) {
                    if (part.getBoolean(5)) {
                        throw new IllegalStateException("a stored usage event of " + part.getString(1)
                                + " has no causationId: its transaction cannot be told apart");
                    }
                    long[] sequences = longs(part.getArray(2));
                    String[] types = (String[]) part.getArray(3).getArray();
                    long[] entries = longs(part.getArray(4));
                    int[] partShapes = new int[types.length];
                    for (int r = 0; r < types.length; r++) {
                        Shape shape = new Shape(types[r], (int) entries[r]);
                        partShapes[r] = shapeIds.computeIfAbsent(shape, added -> {
                            shapes.add(added);
                            return shapes.size() - 1;
                        });
                        usageEvents += entries[r];
                    }
                    rows += types.length;
                    String accountId = accountIds.computeIfAbsent(part.getString(1), id -> id);
                    parts.add(new Part(accountId, sequences, partShapes));
                }
            }
        } finally {
            // It only read; a rollback also ends a transaction that a failed statement aborted.
            sql.rollback();
            sql.setAutoCommit(autoCommit);
        }
        return new Stored(List.copyOf(parts), List.copyOf(shapes), templates(sql, after, upTo, shapes), rows, usageEvents);
    }

    /** Per shape, the stored row whose payload length is nearest the mean of its shape (the newest among equals). */
    private static List<JdbcBaseline.Template> templates(Connection sql, long after, long upTo, List<Shape> shapes)
            throws SQLException {
        Map<Shape, JdbcBaseline.Template> byShape = new HashMap<>();
        try (PreparedStatement query = overRows(sql, after, upTo, """
                , mean AS (SELECT payloadType, usage_events, avg(length(payload::text)) AS length FROM r GROUP BY 1, 2)
                SELECT DISTINCT ON (r.payloadType, r.usage_events) r.payloadType, r.usage_events, r.type,
                       r.metaData::text, r.payload::text, r.payloadRevision
                FROM r JOIN mean USING (payloadType, usage_events)
                ORDER BY r.payloadType, r.usage_events, abs(length(r.payload::text) - mean.length), r.globalIndex DESC""")) {
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    byShape.put(new Shape(row.getString(1), row.getInt(2)), new JdbcBaseline.Template(row.getString(3),
                            row.getString(4), row.getString(5), row.getString(6), row.getString(1)));
                }
            }
        }
        List<JdbcBaseline.Template> templates = new ArrayList<>();
        for (Shape shape : shapes) {
            JdbcBaseline.Template template = byShape.get(shape);
            if (template == null) {
                throw new IllegalStateException("no stored row of shape " + shape);
            }
            templates.add(template);
        }
        return List.copyOf(templates);
    }

    /** {@code rest} (a query, or further common table expressions and one) over {@link #ROWS} of (after, upTo] as r. */
    private static PreparedStatement overRows(Connection sql, long after, long upTo, String rest) throws SQLException {
        PreparedStatement query = sql.prepareStatement("WITH r AS (" + ROWS + ")\n" + rest);
        query.setLong(1, after);
        query.setLong(2, upTo);
        return query;
    }

    private static long[] longs(Array array) throws SQLException {
        Object[] values = (Object[]) array.getArray();
        long[] longs = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            longs[i] = ((Number) values[i]).longValue();
        }
        return longs;
    }

    /**
     * Baseline (d): every part as one transaction, its rows in one executeBatch, from {@code threads}
     * threads taking the parts in the order the server wrote them. Each row is its shape's template with the
     * part's account, the server's sequence number and new idempotency keys; the table is a copy of the
     * event table without triggers, as (c)'s.
     */
    Result run(Stored stored, int threads) throws Exception {
        List<ObjectNode> payloadTemplates = new ArrayList<>();
        for (JdbcBaseline.Template template : stored.templates()) {
            payloadTemplates.add((ObjectNode) json.readTree(template.payload()));
        }
        AtomicInteger nextPart = new AtomicInteger();
        AtomicLong transactions = new AtomicLong();
        AtomicLong rows = new AtomicLong();
        AtomicLong usageEvents = new AtomicLong();
        String sql = JdbcBaseline.insertInto(ROWS_AS_STORED);
        long start = System.nanoTime();
        HttpLoad.runOnThreads(threads, "jdbc-d", () -> {
            List<ObjectNode> payloads = payloadTemplates.stream().map(ObjectNode::deepCopy).toList();
            try (Connection connection = jdbc.connection(); PreparedStatement insert = connection.prepareStatement(sql)) {
                connection.setAutoCommit(false);
                for (int p = nextPart.getAndIncrement(); p < stored.parts().size(); p = nextPart.getAndIncrement()) {
                    Part part = stored.parts().get(p);
                    long partUsageEvents = 0;
                    for (int r = 0; r < part.shapes().length; r++) {
                        int shape = part.shapes()[r];
                        ObjectNode payload = payloads.get(shape);
                        JdbcBaseline.rewrite(payload, part.accountId(), "d-" + p + "-" + r);
                        JdbcBaseline.bind(insert, part.accountId(), part.sequences()[r], stored.templates().get(shape),
                                payload.toString());
                        insert.addBatch();
                        partUsageEvents += stored.shapes().get(shape).usageEvents();
                    }
                    insert.executeBatch();
                    connection.commit();
                    transactions.incrementAndGet();
                    rows.addAndGet(part.shapes().length);
                    usageEvents.addAndGet(partUsageEvents);
                }
            }
            return null;
        });
        return new Result(transactions.get(), rows.get(), usageEvents.get(), System.nanoTime() - start);
    }
}
