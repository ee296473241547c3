package dev.tally.server.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

/**
 * Appends events the way an older version, or someone at the database with the owner's role,
 * could have: straight into the event table, through its ordinary columns (so the hash-chain
 * trigger links them as any other), holding what today's input validation refuses.
 */
public final class ForgedEvents {

    /** An appended event: its id and global position. */
    public record Forged(String eventId, long position) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private ForgedEvents() {
    }

    /**
     * Appends to {@code accountId}'s stream a copy of its newest event of {@code payloadType} (a
     * simple class name of {@code dev.tally.ledger.api}), with the payload's top-level members
     * {@code replaced} (string values), after its last event.
     */
    public static Forged appendCopy(TestDatabase.Endpoint database, String accountId, String payloadType,
                                    Map<String, String> replaced) {
        try (Connection connection = database.ownerConnection()) {
            String sourcePayload;
            String qualifiedType;
            try (PreparedStatement source = connection.prepareStatement("""
                    SELECT payload::text, payloadType FROM events.domain_event_entry
                    WHERE aggregateIdentifier = ? AND payloadType LIKE ? ORDER BY sequenceNumber DESC LIMIT 1""")) {
                source.setString(1, accountId);
                source.setString(2, "dev.tally.ledger.api.%." + payloadType);
                try (ResultSet row = source.executeQuery()) {
                    if (!row.next()) {
                        throw new IllegalStateException("account " + accountId + " has no " + payloadType);
                    }
                    sourcePayload = row.getString(1);
                    qualifiedType = row.getString(2);
                }
            }
            ObjectNode payload = (ObjectNode) JSON.readTree(sourcePayload);
            replaced.forEach(payload::put);
            String eventId = UUID.randomUUID().toString();
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO events.domain_event_entry (aggregateIdentifier, sequenceNumber, type, eventIdentifier,
                        metaData, payload, payloadRevision, payloadType, timeStamp)
                    SELECT aggregateIdentifier, sequenceNumber + 1, type, ?, metaData, ?::json, payloadRevision, ?, timeStamp
                    FROM events.domain_event_entry WHERE aggregateIdentifier = ?
                    ORDER BY sequenceNumber DESC LIMIT 1
                    RETURNING globalIndex""")) {
                insert.setString(1, eventId);
                insert.setString(2, JSON.writeValueAsString(payload));
                insert.setString(3, qualifiedType);
                insert.setString(4, accountId);
                try (ResultSet row = insert.executeQuery()) {
                    row.next();
                    return new Forged(eventId, row.getLong(1));
                }
            }
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException failure) {
            throw new IllegalStateException("cannot append a forged event to " + accountId, failure);
        }
    }
}
