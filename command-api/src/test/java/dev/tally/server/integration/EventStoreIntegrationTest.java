package dev.tally.server.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.projections.support.ProcessingGroups;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.Eventually;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.MigrationScripts;
import dev.tally.server.testing.ServerTest;
import dev.tally.server.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

// Goal: the event store in PostgreSQL is readable by SQL, append-only for everyone, fully migrated and tracked by the projection processor.
class EventStoreIntegrationTest extends ServerTest {

    /** PostgreSQL's SQLSTATE for insufficient_privilege: the trigger raises it, and so does a missing grant. */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final Duration TOKENS_WAIT_MAX = Duration.ofSeconds(15);
    /** The projection processor's segments (ProjectionProcessorConfiguration): one token each. */
    private static final long PROJECTION_SEGMENTS = 2;

    private final TestDatabase.Endpoint database = TestDatabase.get();

    @Test
    void recordedEventsCarryJsonPayloadsThatSqlCanRead() throws SQLException {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        String key = Api.unique("sql-readable");
        Api.Response usage = ledger.usage(key, "gpu_seconds", "1234.5", LedgerScenario.recently());
        assertThat(usage.status()).as(usage.raw().body()).isEqualTo(200);

        try (Connection connection = database.appConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT payload ->> 'accountId', payload ->> 'meter', payload ->> 'quantity', json_typeof(payload),
                            json_typeof(metaData), payloadType, aggregateIdentifier
                     FROM events.domain_event_entry WHERE aggregateIdentifier = ? AND payload ->> 'idempotencyKey' = ?""")) {
            // Scoped to the account first: other tests store events on purpose whose JSON PostgreSQL cannot read as text.
            query.setString(1, ledger.accountId);
            query.setString(2, key);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).as("the usage event is found by its idempotency key").isTrue();
                assertThat(row.getString(1)).isEqualTo(ledger.accountId);
                assertThat(row.getString(2)).isEqualTo("gpu_seconds");
                assertThat(row.getString(3)).isEqualTo("1234.5");
                assertThat(row.getString(4)).isEqualTo("object");
                assertThat(row.getString(5)).isEqualTo("object");
                assertThat(row.getString(6)).isEqualTo("dev.tally.ledger.api.usage.UsageRecorded");
                assertThat(row.getString(7)).isEqualTo(ledger.accountId);
                assertThat(row.next()).as("exactly one event has the key").isFalse();
            }
        }
        // Every event of the account's stream names its account in the payload, so SQL can select a history.
        long byAggregate = count("SELECT count(*) FROM events.domain_event_entry WHERE aggregateIdentifier = ?",
                ledger.accountId);
        long byPayload = count("""
                SELECT count(*) FROM events.domain_event_entry
                WHERE aggregateIdentifier = ? AND payload ->> 'accountId' = ?""", ledger.accountId, ledger.accountId);
        assertThat(byPayload).isEqualTo(byAggregate);
        List<String> stream = new ArrayList<>();
        try (Connection connection = database.appConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT payloadType FROM events.domain_event_entry WHERE aggregateIdentifier = ?
                     ORDER BY sequenceNumber""")) {
            query.setString(1, ledger.accountId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    stream.add(rows.getString(1));
                }
            }
        }
        assertThat(stream).as("opening the account, then recording the usage").containsExactly(
                "dev.tally.ledger.api.account.AccountOpened", "dev.tally.ledger.api.usage.UsageRecorded");
        assertThat(columnType("payload")).isEqualTo("json");
        assertThat(columnType("metadata")).isEqualTo("json");
    }

    @Test
    void theDatabaseRefusesToUpdateOrDeleteEventsEvenForTheSchemaOwner() throws SQLException {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        String key = Api.unique("tamper");
        assertThat(ledger.usage(key, "gpu_seconds", "10", LedgerScenario.recently()).status()).isEqualTo(200);

        try (Connection owner = database.ownerConnection(); Statement statement = owner.createStatement()) {
            // Each attempt runs in a transaction that is rolled back, so that a missing trigger fails this test
            // alone instead of wiping the event store the other tests share.
            owner.setAutoCommit(false);
            String where = " WHERE aggregateIdentifier = '" + ledger.accountId + "' AND payload ->> 'idempotencyKey' = '"
                    + key + "'";
            assertRefusedByTrigger(owner, statement, "UPDATE events.domain_event_entry SET payload = '{}'::json" + where);
            assertRefusedByTrigger(owner, statement,
                    "UPDATE events.domain_event_entry SET aggregateIdentifier = 'someone-else'" + where);
            assertRefusedByTrigger(owner, statement, "DELETE FROM events.domain_event_entry" + where);
            assertRefusedByTrigger(owner, statement, "DELETE FROM events.domain_event_entry");
            assertRefusedByTrigger(owner, statement, "TRUNCATE events.domain_event_entry");
        }
        assertThat(count("SELECT count(*) FROM events.domain_event_entry WHERE payload ->> 'idempotencyKey' = ?"
                + " AND payload ->> 'quantity' = '10' AND aggregateIdentifier = ?", key, ledger.accountId))
                .as("the event is unchanged").isEqualTo(1);
    }

    @Test
    void theApplicationRoleHasNoRightToChangeEvents() throws SQLException {
        assertThat(tablePrivilege("SELECT")).isTrue();
        assertThat(tablePrivilege("INSERT")).isTrue();
        assertThat(tablePrivilege("UPDATE")).isFalse();
        assertThat(tablePrivilege("DELETE")).isFalse();
        assertThat(tablePrivilege("TRUNCATE")).isFalse();

        try (Connection app = database.appConnection(); Statement statement = app.createStatement()) {
            assertThat(currentUser(statement)).isEqualTo(TestDatabase.APPLICATION_ROLE);
            // The privilege check comes before any trigger, so the refusal names the missing grant.
            for (String change : new String[]{
                    "UPDATE events.domain_event_entry SET payload = '{}'::json WHERE globalIndex = 1",
                    "DELETE FROM events.domain_event_entry WHERE globalIndex = 1",
                    "TRUNCATE events.domain_event_entry"}) {
                assertThatThrownBy(() -> statement.execute(change)).as(change)
                        .isInstanceOfSatisfying(SQLException.class, refused -> {
                            assertThat(refused.getSQLState()).isEqualTo(INSUFFICIENT_PRIVILEGE);
                            assertThat(refused.getMessage()).contains("permission denied");
                        });
            }
        }
    }

    @Test
    void theGlobalIndexSequenceHandsOutIndexesOneAtATime() throws SQLException {
        assertThat(count("""
                SELECT cache_size FROM pg_sequences
                WHERE schemaname = 'events' AND sequencename = 'global_index_seq'""")).isEqualTo(1);
        assertThat(count("""
                SELECT count(*) FROM pg_sequences
                WHERE schemaname = 'events' AND sequencename = 'global_index_seq' AND NOT cycle""")).isEqualTo(1);
    }

    @Test
    void everyMigrationOnTheClasspathIsApplied() throws SQLException {
        Map<String, String> onClasspath = MigrationScripts.byVersion();
        assertThat(onClasspath).as("migrations of the event store, the API and the projections").hasSizeGreaterThanOrEqualTo(5);

        TreeSet<String> applied = new TreeSet<>();
        try (Connection owner = database.ownerConnection(); Statement statement = owner.createStatement();
             ResultSet rows = statement.executeQuery("SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL")) {
            while (rows.next()) {
                assertThat(rows.getBoolean(2)).as("migration %s succeeded", rows.getString(1)).isTrue();
                applied.add(rows.getString(1));
            }
        }
        assertThat(applied).containsExactlyElementsOf(onClasspath.keySet());
    }

    @Test
    void theProjectionProcessorKeepsATokenForEachOfItsSegments() {
        // The processor claims and creates its segments just after start; wait for that much.
        Map<String, Long> segmentsByProcessor = Eventually.awaitValue("every projection processor's tokens",
                TOKENS_WAIT_MAX, this::segmentsByProcessor,
                found -> found.keySet().containsAll(ProcessingGroups.ALL));
        Map<String, Long> expected = new TreeMap<>();
        ProcessingGroups.ALL.forEach(group -> expected.put(group, PROJECTION_SEGMENTS));
        assertThat(segmentsByProcessor).as("tokens per processor").isEqualTo(expected);
    }

    private Map<String, Long> segmentsByProcessor() throws SQLException {
        Map<String, Long> segmentsByProcessor = new TreeMap<>();
        try (Connection app = database.appConnection(); Statement statement = app.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT processorName, count(*) FROM axon.token_entry GROUP BY processorName")) {
            while (rows.next()) {
                segmentsByProcessor.put(rows.getString(1), rows.getLong(2));
            }
        }
        return segmentsByProcessor;
    }

    private static void assertRefusedByTrigger(Connection owner, Statement statement, String change)
            throws SQLException {
        try {
            assertThatThrownBy(() -> statement.execute(change)).as(change)
                    .isInstanceOfSatisfying(SQLException.class, refused -> {
                        assertThat(refused.getSQLState()).isEqualTo(INSUFFICIENT_PRIVILEGE);
                        assertThat(refused.getMessage()).contains("the event store is append-only");
                    });
        } finally {
            owner.rollback();
        }
    }

    private boolean tablePrivilege(String privilege) throws SQLException {
        return count("SELECT CASE WHEN has_table_privilege(?, 'events.domain_event_entry', ?) THEN 1 ELSE 0 END",
                TestDatabase.APPLICATION_ROLE, privilege) == 1;
    }

    private String columnType(String column) throws SQLException {
        try (Connection owner = database.ownerConnection();
             PreparedStatement query = owner.prepareStatement("""
                     SELECT data_type FROM information_schema.columns
                     WHERE table_schema = 'events' AND table_name = 'domain_event_entry' AND column_name = ?""")) {
            query.setString(1, column);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).as("column %s exists", column).isTrue();
                return row.getString(1);
            }
        }
    }

    private static String currentUser(Statement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery("SELECT current_user")) {
            row.next();
            return row.getString(1);
        }
    }

    private long count(String sql, Object... parameters) throws SQLException {
        try (Connection owner = database.ownerConnection(); PreparedStatement query = owner.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).as(sql).isTrue();
                return row.getLong(1);
            }
        }
    }
}
