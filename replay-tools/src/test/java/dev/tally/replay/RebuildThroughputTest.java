package dev.tally.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.testing.Api;
import dev.tally.server.testing.InProcessServer;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.ServerTest;
import dev.tally.server.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

// Goal: measure the rebuild's throughput on a generated ledger of exactly the usage events asked for (run on demand: -Dreplay.throughput.events=1000000).
@EnabledIfSystemProperty(named = "replay.throughput.events", matches = "\\d+")
class RebuildThroughputTest {

    private static final int ACCOUNTS = 10;
    private static final int USAGE_EVENTS_PER_ACCOUNT = 1_000;
    /** As the ingestion benchmark's batched workload sends them: each request's usage is one stored event of ten. */
    private static final int USAGE_EVENTS_PER_REQUEST = 10;
    /** The usage events of one copy of the generated accounts. */
    private static final long USAGE_EVENTS_PER_COPY = (long) ACCOUNTS * USAGE_EVENTS_PER_ACCOUNT;
    private static final Pattern REBUILT = Pattern.compile("rebuilt (\\d+) events in [0-9.]+ s: (\\d+) events/s");

    @Test
    void rebuildOfAGeneratedLedger() throws Exception {
        long usageEvents = Long.parseLong(System.getProperty("replay.throughput.events"));
        assertThat(usageEvents).as("replay.throughput.events").isPositive();
        long copies = usageEvents / USAGE_EVENTS_PER_COPY;
        int remainder = (int) (usageEvents % USAGE_EVENTS_PER_COPY);
        TestDatabase.Endpoint database = TestDatabase.fresh("replay_throughput");
        List<String> accounts = new ArrayList<>();
        try (InProcessServer server = InProcessServer.start(database, Clock.systemUTC(),
                Map.of("tally.invoice.scheduler-enabled", "false"))) {
            for (int a = 0; copies > 0 && a < ACCOUNTS; a++) {
                accounts.add(usageHeavyAccount(server.api(), USAGE_EVENTS_PER_ACCOUNT));
            }
            // What whole copies cannot make up is one more account of its own, so the ledger holds exactly what was asked.
            if (remainder > 0) {
                usageHeavyAccount(server.api(), remainder);
            }
        }
        if (copies > 1) {
            // Copies of the accounts under new ids, made in SQL while no server runs: a large ledger in seconds.
            try (Connection owner = database.ownerConnection(); PreparedStatement clone = owner.prepareStatement("""
                    INSERT INTO events.domain_event_entry (aggregateIdentifier, sequenceNumber, type, eventIdentifier,
                        metaData, payload, payloadRevision, payloadType, timeStamp)
                    SELECT aggregateIdentifier || '-c' || c, sequenceNumber, type, gen_random_uuid()::text, metaData,
                           replace(payload::text, '"' || aggregateIdentifier || '"',
                                   '"' || aggregateIdentifier || '-c' || c || '"')::json,
                           payloadRevision, payloadType, timeStamp
                    FROM events.domain_event_entry e, generate_series(1, ?) c
                    WHERE aggregateIdentifier = ANY (?) ORDER BY c, globalIndex""")) {
                clone.setLong(1, copies - 1);
                clone.setArray(2, owner.createArrayOf("text", accounts.toArray()));
                clone.executeUpdate();
            }
        }
        long storedEvents;
        try (Connection owner = database.ownerConnection()) {
            assertThat(count(owner, "events.usage_event")).as("usage events in the ledger").isEqualTo(usageEvents);
            storedEvents = count(owner, "events.domain_event_entry");
        }

        ToolRun rebuild = ToolRun.against(database, "rebuild", "--into", "shadow_throughput");

        assertThat(rebuild.exit()).as(rebuild.err()).isZero();
        Matcher rebuilt = REBUILT.matcher(rebuild.err());
        assertThat(rebuilt.find()).as(rebuild.err()).isTrue();
        assertThat(Long.parseLong(rebuilt.group(1))).as("stored events rebuilt").isEqualTo(storedEvents);
        double storedPerSecond = Double.parseDouble(rebuilt.group(2));
        System.out.printf(Locale.ROOT, "rebuild throughput: %d usage events in %d stored events: %.0f usage events/s,"
                        + " %.0f stored events/s (%s)%n", usageEvents, storedEvents,
                storedPerSecond * usageEvents / storedEvents, storedPerSecond, rebuilt.group());
    }

    /** An account with a prepaid grant and {@code usageEvents} usage events, accepted in requests of ten. */
    private static String usageHeavyAccount(Api api, int usageEvents) {
        LedgerScenario ledger = LedgerScenario.open(api, ServerTest.ADMIN_KEY);
        Api.Response grant = api.post("/v1/accounts/" + ledger.accountId + "/credits", ServerTest.ADMIN_KEY, """
                {"grantId":"prepaid-1","amount":"500","kind":"prepaid","effectiveAt":"2026-01-01T00:00:00Z"}""");
        assertThat(grant.status()).isEqualTo(201);
        Instant at = LedgerScenario.recently();
        for (int first = 0; first < usageEvents; first += USAGE_EVENTS_PER_REQUEST) {
            StringBuilder batch = new StringBuilder("{\"events\":[");
            for (int i = first; i < Math.min(usageEvents, first + USAGE_EVENTS_PER_REQUEST); i++) {
                batch.append(i == first ? "" : ",").append("""
                        {"idempotencyKey":"u%d","accountId":"%s","meter":"%s","quantity":"%d.5","timestamp":"%s"}"""
                        .formatted(i, ledger.accountId, i % 3 == 0 ? "images" : "gpu_seconds", 1 + i % 50, at));
            }
            Api.Response usage = api.post("/v1/usage", ServerTest.ADMIN_KEY, batch.append("]}").toString());
            assertThat(usage.status()).as(usage.raw().body()).isEqualTo(200);
            assertThat(usage.raw().body()).as("every usage event accepted").doesNotContain("\"rejected\"")
                    .doesNotContain("\"duplicate\"");
        }
        return ledger.accountId;
    }

    private static long count(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT count(*) FROM " + table)) {
            row.next();
            return row.getLong(1);
        }
    }
}
