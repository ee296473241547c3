package dev.tally.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.ledger.audit.CheckpointDigest;
import dev.tally.ledger.audit.EventHashes;
import dev.tally.ledger.audit.HashedEvent;
import dev.tally.ledger.audit.StreamHead;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.ServerTest;
import dev.tally.server.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

// Goal: every event carries who caused it and a hash-chain link the database computed, the audit
// trail shows both to auditors only, and checkpoints digest every stream head exactly as documented.
class AuditEndToEndTest extends ServerTest {

    private static final String ZERO_HASH = "0".repeat(64);

    private String financeKey;
    private String financeKeyId;
    private String auditorKey;
    private String clientKey;

    @BeforeEach
    void keys() {
        JsonNode finance = api().post("/v1/api-keys", ADMIN_KEY, "{\"name\":\"finance\",\"role\":\"finance\"}").body();
        financeKey = finance.get("key").asText();
        financeKeyId = finance.get("id").asText();
        auditorKey = api().post("/v1/api-keys", ADMIN_KEY, "{\"name\":\"auditor\",\"role\":\"auditor\"}").body()
                .get("key").asText();
        clientKey = api().post("/v1/api-keys", ADMIN_KEY, "{\"name\":\"client\",\"role\":\"client\",\"accountIds\":[\"someone-else\"]}")
                .body().get("key").asText();
    }

    @Test
    void everyEventCarriesItsActorRequestCausationAndALinkToThePreviousEvent() {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        String base = "/v1/accounts/" + ledger.accountId;
        Api.Response grant = api().post(base + "/credits", financeKey,
                "{\"grantId\":\"g1\",\"amount\":\"5\",\"kind\":\"promotional\"}",
                "X-Request-Id", "req-grant-1", "Idempotency-Key", "grant-once");
        assertThat(grant.status()).as(grant.raw().body()).isEqualTo(201);
        assertThat(grant.header("X-Request-Id")).isEqualTo("req-grant-1");
        assertThat(ledger.usage("u1", "gpu_seconds", "100", LedgerScenario.recently()).status()).isEqualTo(200);

        Api.Response trail = api().get(base + "/audit", auditorKey);

        assertThat(trail.status()).as(trail.raw().body()).isEqualTo(200);
        JsonNode items = trail.body().get("items");
        assertThat(items).hasSize(3);
        assertThat(types(items)).containsExactly("AccountOpened", "CreditGranted", "UsageRecorded");
        JsonNode granted = items.get(1);
        assertThat(granted.get("actor").asText()).isEqualTo(financeKeyId);
        assertThat(granted.get("requestId").asText()).isEqualTo("req-grant-1");
        assertThat(granted.get("idempotencyKey").asText()).isEqualTo("grant-once");
        assertThat(granted.get("causationId").asText()).isNotBlank().isNotEqualTo(granted.get("eventId").asText());
        assertThat(granted.get("correlationId").asText()).isEqualTo(granted.get("causationId").asText());
        assertThat(granted.get("payload").get("grantId").asText()).isEqualTo("g1");
        assertThat(items.get(2).get("requestId").asText()).as("a generated request id").hasSize(36);
        assertThat(items.get(0).get("prevHash").asText()).isEqualTo(ZERO_HASH);
        for (int i = 1; i < items.size(); i++) {
            assertThat(items.get(i).get("prevHash").asText()).isEqualTo(items.get(i - 1).get("hash").asText());
            assertThat(items.get(i).get("hash").asText()).matches("[0-9a-f]{64}");
        }
        assertThat(items.get(2).get("timestamp").asText()).as("usage shows when it happened")
                .isEqualTo(items.get(2).get("payload").get("timestamp").asText());
    }

    @Test
    void theTrailIsPagedFilteredAndForAuditorsAndAdminsOnly() {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        String base = "/v1/accounts/" + ledger.accountId;
        for (int i = 0; i < 3; i++) {
            assertThat(ledger.usage("u" + i, "gpu_seconds", "10", LedgerScenario.recently()).status()).isEqualTo(200);
        }

        JsonNode first = api().get(base + "/audit?limit=2", ADMIN_KEY).body();
        JsonNode second = api().get(base + "/audit?limit=2&cursor=" + first.get("nextCursor").asText(), ADMIN_KEY).body();
        assertThat(types(first.get("items"))).containsExactly("AccountOpened", "UsageRecorded");
        assertThat(types(second.get("items"))).containsExactly("UsageRecorded", "UsageRecorded");
        assertThat(second.get("nextCursor").isNull()).isTrue();
        assertThat(api().get(base + "/audit?type=UsageRecorded", auditorKey).body().get("items")).hasSize(3);
        assertThat(api().get(base + "/audit?type=AccountOpened&from=2000-01-01T00:00:00Z", auditorKey).body()
                .get("items")).hasSize(1);
        assertThat(api().get(base + "/audit?to=2000-01-01T00:00:00Z", auditorKey).body().get("items")).isEmpty();

        assertThat(api().get(base + "/audit", financeKey).status()).isEqualTo(403);
        assertThat(api().get(base + "/audit", clientKey).status()).isEqualTo(403);
        assertThat(api().get(base + "/audit", null).status()).isEqualTo(401);
        assertThat(api().get("/v1/accounts/nobody/audit", auditorKey).code()).isEqualTo("unknown_account");
        assertThat(api().get(base + "/audit?type=usage;drop", auditorKey).code()).isEqualTo("invalid_field");
        assertThat(api().get(base + "/audit?from=soon", auditorKey).code()).isEqualTo("invalid_field");
        assertThat(api().get(base + "/audit?cursor=bm9wZQ", auditorKey).code()).isEqualTo("malformed_request");
    }

    @Test
    void theDatabaseLinksEveryEventExactlyAsTheDocumentedEncodingSays() throws SQLException {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        assertThat(ledger.usage("u1", "images", "3", LedgerScenario.recently()).status()).isEqualTo(200);
        assertThat(api().post("/v1/accounts/" + ledger.accountId + "/payments", financeKey,
                "{\"paymentId\":\"p1\",\"amount\":\"1.5\",\"method\":\"wire\"}").status()).isEqualTo(201);

        EventHashes hashes = new EventHashes();
        byte[] previous = EventHashes.GENESIS;
        int events = 0;
        try (Connection connection = TestDatabase.get().appConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT globalIndex, aggregateIdentifier, sequenceNumber, type, eventIdentifier, payloadType,
                            payloadRevision, timeStamp, metaData::text, payload::text, prevHash, hash
                     FROM events.domain_event_entry WHERE aggregateIdentifier = ? ORDER BY sequenceNumber""")) {
            query.setString(1, ledger.accountId);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    HashedEvent event = new HashedEvent(row.getLong(1), row.getString(2), row.getLong(3),
                            row.getString(4), row.getString(5), row.getString(6), row.getString(7), row.getString(8),
                            row.getString(9), row.getString(10));
                    assertThat(row.getBytes(11)).isEqualTo(previous);
                    previous = hashes.link(previous, event);
                    assertThat(row.getBytes(12)).as("link of event %d", row.getLong(3)).isEqualTo(previous);
                    events++;
                }
            }
        }
        assertThat(events).isEqualTo(3);
        try (Connection connection = TestDatabase.get().appConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT bool_and(sha256(prevHash || events.canonical_event_bytes(globalIndex, aggregateIdentifier,
                            sequenceNumber, type, eventIdentifier, payloadType, payloadRevision, timeStamp,
                            metaData::text, payload::text)) = hash)
                     FROM events.domain_event_entry WHERE aggregateIdentifier = ?""")) {
            query.setString(1, ledger.accountId);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                assertThat(row.getBoolean(1)).as("the documented SQL encoding agrees with the trigger").isTrue();
            }
        }
    }

    @Test
    void aCheckpointDigestsEveryStreamHeadAndIsDownloadable() throws SQLException {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        assertThat(ledger.usage("u1", "gpu_seconds", "1", LedgerScenario.recently()).status()).isEqualTo(200);

        Api.Response taken = api().post("/v1/audit/checkpoints", ADMIN_KEY, "");
        assertThat(taken.status()).as(taken.raw().body()).isEqualTo(200);
        long position = taken.body().get("position").asLong();
        assertThat(taken.body().get("format").asText()).isEqualTo("tally-checkpoint-v1");
        assertThat(position).isGreaterThanOrEqualTo(ledger.usage("u1", "gpu_seconds", "1",
                LedgerScenario.recently()).position());
        CheckpointDigest recomputed = new CheckpointDigest(position);
        for (StreamHead head : headsAt(position)) {
            recomputed.add(head);
        }
        assertThat(taken.body().get("streams").asLong()).isEqualTo(recomputed.streams());
        assertThat(taken.body().get("digest").asText()).isEqualTo(recomputed.finish());

        Api.Response latest = api().get("/v1/audit/checkpoints/latest", auditorKey);
        assertThat(latest.body()).isEqualTo(taken.body());
        assertThat(latest.header("Content-Disposition")).contains("tally-checkpoint-" + position + ".json");
        assertThat(api().post("/v1/audit/checkpoints", ADMIN_KEY, "").body())
                .as("nothing new since: the same checkpoint").isEqualTo(taken.body());

        assertThat(ledger.usage("u2", "gpu_seconds", "1", LedgerScenario.recently()).status()).isEqualTo(200);
        JsonNode next = api().post("/v1/audit/checkpoints", ADMIN_KEY, "").body();
        assertThat(next.get("position").asLong()).isGreaterThan(position);
        assertThat(next.get("digest").asText()).isNotEqualTo(taken.body().get("digest").asText());
        assertThat(api().post("/v1/audit/checkpoints", auditorKey, "").status()).isEqualTo(403);
        assertThat(api().get("/v1/audit/checkpoints/latest", financeKey).status()).isEqualTo(403);
    }

    private static List<StreamHead> headsAt(long position) throws SQLException {
        List<StreamHead> heads = new ArrayList<>();
        try (Connection connection = TestDatabase.get().appConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT DISTINCT ON (aggregateIdentifier) aggregateIdentifier, sequenceNumber, hash
                     FROM events.domain_event_entry WHERE globalIndex <= ?
                     ORDER BY aggregateIdentifier, sequenceNumber DESC""")) {
            query.setLong(1, position);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    heads.add(new StreamHead(row.getString(1), row.getLong(2), row.getBytes(3)));
                }
            }
        }
        heads.sort((left, right) -> CheckpointDigest.HEAD_ORDER.compare(left.aggregateIdentifier(),
                right.aggregateIdentifier()));
        return heads;
    }

    private static List<String> types(JsonNode items) {
        List<String> types = new ArrayList<>();
        items.forEach(item -> types.add(item.get("type").asText()));
        return types;
    }
}
