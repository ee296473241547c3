package dev.tally.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

// Why: the usage and journal projections have no read-your-writes probe as cheap as the balance one, so their lag is read from Axon's token table (JSON tokens, one row per segment).
final class ProcessorTokens {

    static final List<String> PROCESSORS = List.of("ledger-projections");

    private final ObjectMapper json = new ObjectMapper();

    /**
     * Polls every {@code pollMillis} until each processor has processed {@code position} in every
     * segment (or {@code timeoutNanos} passed); the answer maps processor to the nanoTime it was seen
     * there, -1 when it was not.
     */
    Map<String, Long> awaitAll(Connection connection, long position, long pollMillis, long timeoutNanos)
            throws SQLException, InterruptedException {
        Map<String, Long> reachedAt = new HashMap<>();
        long deadline = System.nanoTime() + timeoutNanos;
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT processorName, token FROM axon.token_entry WHERE processorName = ANY (?)")) {
            query.setArray(1, connection.createArrayOf("varchar", PROCESSORS.toArray()));
            while (reachedAt.size() < PROCESSORS.size() && System.nanoTime() < deadline) {
                Map<String, Boolean> done = new HashMap<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        boolean segmentDone = processed(rows.getBytes(2), position);
                        done.merge(rows.getString(1), segmentDone, Boolean::logicalAnd);
                    }
                }
                long now = System.nanoTime();
                done.forEach((processor, reached) -> {
                    if (reached) {
                        reachedAt.putIfAbsent(processor, now);
                    }
                });
                if (reachedAt.size() < PROCESSORS.size()) {
                    Thread.sleep(pollMillis);
                }
            }
        }
        PROCESSORS.forEach(processor -> reachedAt.putIfAbsent(processor, -1L));
        return reachedAt;
    }

    /** The lowest token index over {@code processor}'s segments: the position it has processed up to (0 with no token). */
    long positionOf(Connection connection, String processor) throws SQLException {
        long lowest = Long.MAX_VALUE;
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT token FROM axon.token_entry WHERE processorName = ?")) {
            query.setString(1, processor);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    lowest = Math.min(lowest, indexOf(rows.getBytes(1)));
                }
            }
        }
        return lowest == Long.MAX_VALUE ? 0 : lowest;
    }

    private long indexOf(byte[] token) {
        if (token == null) {
            return 0;
        }
        try {
            JsonNode node = json.readTree(new String(token, StandardCharsets.UTF_8));
            while (node != null && !node.has("index") && node.has("currentToken")) {
                node = node.get("currentToken");
            }
            return node == null || !node.has("index") ? 0 : node.get("index").asLong();
        } catch (IOException unreadable) {
            return 0;
        }
    }

    /** A segment has processed {@code position} when its token's index reached it and it is not a gap. */
    private boolean processed(byte[] token, long position) {
        if (token == null) {
            return false;
        }
        try {
            JsonNode node = json.readTree(new String(token, StandardCharsets.UTF_8));
            // a replay token wraps the current one
            while (node != null && !node.has("index") && node.has("currentToken")) {
                node = node.get("currentToken");
            }
            if (node == null || !node.has("index") || node.get("index").asLong() < position) {
                return false;
            }
            for (JsonNode gap : node.path("gaps")) {
                if (gap.asLong() == position) {
                    return false;
                }
            }
            return true;
        } catch (IOException unreadable) {
            return false;
        }
    }
}
