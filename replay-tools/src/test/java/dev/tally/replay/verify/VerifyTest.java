package dev.tally.replay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.ledger.api.audit.CheckpointStreams;
import dev.tally.replay.ReplayTools;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.InProcessServer;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.ServerTest;
import dev.tally.server.testing.TestDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

// Goal: verify passes an intact ledger (also after a restart) and names the right event for every
// kind of tampering: a changed byte, a deleted, swapped or inserted event, a deleted stream, an
// altered checkpoint, and a digest file from another ledger. Tampering runs as the superuser in a
// transaction that the verifier reads from and that is rolled back, so the ledger stays intact.
class VerifyTest {

    private static final Map<String, String> QUIET = Map.of("tally.invoice.scheduler-enabled", "false",
            "tally.audit.checkpoint-enabled", "false");

    private static TestDatabase.Endpoint database;
    private static InProcessServer server;
    private static LedgerScenario first;
    private static LedgerScenario second;
    private static JsonNode lastCheckpoint;

    @TempDir
    Path files;

    @BeforeAll
    static void ledger() {
        database = TestDatabase.fresh("replay_verify");
        server = InProcessServer.start(database, Clock.systemUTC(), QUIET);
        Api api = server.api();
        first = LedgerScenario.open(api, ServerTest.ADMIN_KEY);
        second = LedgerScenario.open(api, ServerTest.ADMIN_KEY);
        for (LedgerScenario account : new LedgerScenario[]{first, second}) {
            String base = "/v1/accounts/" + account.accountId;
            assertThat(api.post(base + "/credits", ServerTest.ADMIN_KEY,
                    "{\"grantId\":\"g1\",\"amount\":\"2\",\"kind\":\"promotional\"}").status()).isEqualTo(201);
            for (int i = 0; i < 4; i++) {
                assertThat(account.usage("u" + i, "images", "30", LedgerScenario.recently()).status()).isEqualTo(200);
            }
            assertThat(api.post(base + "/payments", ServerTest.ADMIN_KEY,
                    "{\"paymentId\":\"p1\",\"amount\":\"3\",\"method\":\"wire\"}").status()).isEqualTo(201);
        }
        assertThat(api.post("/v1/audit/checkpoints", ServerTest.ADMIN_KEY, "").status()).isEqualTo(200);
        // A restart between the two halves: the chain continues across it.
        server.close();
        server = InProcessServer.start(database, Clock.systemUTC(), QUIET);
        // Two usage events of one account in one request: stored as one batch event, verified entry by entry.
        assertThat(server.api().post("/v1/usage", ServerTest.ADMIN_KEY, """
                {"events":[{"idempotencyKey":"after-restart","accountId":"%1$s","meter":"gpu_seconds","quantity":"500",
                            "timestamp":"%2$s"},
                           {"idempotencyKey":"after-restart-2","accountId":"%1$s","meter":"images","quantity":"3",
                            "timestamp":"%2$s"}]}""".formatted(first.accountId, LedgerScenario.recently())).status())
                .isEqualTo(200);
        lastCheckpoint = server.api().post("/v1/audit/checkpoints", ServerTest.ADMIN_KEY, "").body();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anIntactLedgerVerifiesCleanWithItsDigestFile() throws IOException {
        Path digest = files.resolve("checkpoint.json");
        Files.writeString(digest, lastCheckpoint.toString());

        Run run = run("verify", "--digest", digest.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("OK: every link, sequence, checkpoint and journal invariant holds")
                .contains("digests verified: 3");
    }

    @Test
    void theLedgerStillVerifiesCleanAfterItsProjectionsAreRebuilt() {
        Run rebuild = run("rebuild", "--into", "verify_shadow");
        assertThat(rebuild.exitCode()).as(rebuild.err()).isZero();

        Run verify = run("verify");

        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("OK: every link, sequence, checkpoint and journal invariant holds");
    }

    @Test
    void aChangedPayloadByteIsNamed() throws SQLException {
        long position = positionOf(first.accountId, 3);

        Finding finding = firstFindingAfter("UPDATE events.domain_event_entry SET payload = replace(payload::text,"
                + " '\"quantity\":30', '\"quantity\":31')::json WHERE globalIndex = " + position);

        assertThat(finding).isEqualTo(new Finding(ChainCheck.NAME, position, first.accountId, 3, finding.problem()));
        assertThat(finding.problem()).contains("does not match its hash");
    }

    @Test
    void aDeletedEventIsNamedByTheEventAfterTheGap() throws SQLException {
        Finding finding = firstFindingAfter("DELETE FROM events.domain_event_entry WHERE globalIndex = "
                + positionOf(first.accountId, 2));

        assertThat(finding.aggregate()).isEqualTo(first.accountId);
        assertThat(finding.sequence()).isEqualTo(3);
        assertThat(finding.position()).isEqualTo(positionOf(first.accountId, 3));
        assertThat(finding.problem()).contains("follows sequence 1").contains("1 event(s) in between are missing");
    }

    @Test
    void twoSwappedEventsAreNamedAtTheFirst() throws SQLException {
        long third = positionOf(second.accountId, 3);
        long fourth = positionOf(second.accountId, 4);

        Finding finding = firstFindingAfter("""
                UPDATE events.domain_event_entry AS e SET payload = o.payload, eventIdentifier = o.eventIdentifier || '-x'
                FROM events.domain_event_entry AS o
                WHERE (e.globalIndex, o.globalIndex) IN ((%d, %d), (%d, %d))""".formatted(third, fourth, fourth, third));

        assertThat(finding).isEqualTo(new Finding(ChainCheck.NAME, third, second.accountId, 3, finding.problem()));
    }

    @Test
    void anInsertedEventIsNamed() throws SQLException {
        // Appended through the chain trigger, so its own link is valid; only its place in history betrays it.
        Finding finding = firstFindingAfter("""
                INSERT INTO events.domain_event_entry (globalIndex, aggregateIdentifier, sequenceNumber, type,
                    eventIdentifier, metaData, payload, payloadRevision, payloadType, timeStamp)
                SELECT 0, aggregateIdentifier, (SELECT max(sequenceNumber) + 1 FROM events.domain_event_entry
                                                WHERE aggregateIdentifier = '%1$s'),
                       type, 'forged-event', metaData, payload, payloadRevision, payloadType, timeStamp
                FROM events.domain_event_entry WHERE aggregateIdentifier = '%1$s' AND sequenceNumber = 2""".formatted(first.accountId),
                false);

        assertThat(finding.position()).isZero();
        assertThat(finding.aggregate()).isEqualTo(first.accountId);
        assertThat(finding.problem()).contains("the stream starts at sequence");
    }

    @Test
    void aDeletedStreamIsNamedByTheCheckpointThatCoveredIt() throws SQLException {
        Finding finding = firstFindingAfter("DELETE FROM events.domain_event_entry WHERE aggregateIdentifier = '"
                + second.accountId + "'");

        assertThat(finding.check()).isEqualTo(CheckpointCheck.NAME);
        assertThat(finding.aggregate()).isEqualTo(CheckpointStreams.ID);
        assertThat(finding.sequence()).isZero();
        assertThat(finding.problem()).contains("a stream is missing");
    }

    @Test
    void anAlteredCheckpointIsNamed() throws SQLException {
        Finding finding = firstFindingAfter("UPDATE events.domain_event_entry SET payload = jsonb_set(payload::jsonb,"
                + " '{digest}', to_jsonb(repeat('ab', 32)))::json WHERE aggregateIdentifier = '" + CheckpointStreams.ID
                + "' AND sequenceNumber = 1");

        assertThat(finding.check()).isEqualTo(CheckpointCheck.NAME);
        assertThat(finding.aggregate()).isEqualTo(CheckpointStreams.ID);
        assertThat(finding.sequence()).isEqualTo(1);
        assertThat(finding.position()).isEqualTo(lastCheckpoint.get("position").asLong());
    }

    @Test
    void aDigestFileFromAnotherLedgerIsAFinding() throws IOException {
        Path foreign = files.resolve("other-ledger.json");
        Files.writeString(foreign, """
                {"format":"tally-checkpoint-v1","position":%d,"streams":%d,"digest":"%s","recordedAt":"2026-11-01T00:00:00Z"}
                """.formatted(lastCheckpoint.get("position").asLong(), lastCheckpoint.get("streams").asLong(),
                "0123456789abcdef".repeat(4)));

        Run run = run("verify", "--digest", foreign.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out()).contains("FAILED: 1 finding(s)").contains("the digest file other-ledger.json records digest");
    }

    @Test
    void badArgumentsAndAnUnreadableDigestFileExitTwo() {
        assertThat(run("verify", "--no-such-flag").exitCode()).isEqualTo(2);
        Run missing = run("verify", "--digest", files.resolve("absent.json").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read the digest file");
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine tool = ReplayTools.commandLine();
        tool.setOut(new PrintWriter(out, true));
        tool.setErr(new PrintWriter(err, true));
        String[] withDatabase = new String[arguments.length + 6];
        System.arraycopy(arguments, 0, withDatabase, 0, arguments.length);
        System.arraycopy(new String[]{"--db-url", database.url(), "--db-user", database.ownerUser(), "--db-password",
                database.ownerPassword() == null ? "" : database.ownerPassword()}, 0, withDatabase, arguments.length, 6);
        int exitCode = tool.execute(withDatabase);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private static Finding firstFindingAfter(String tampering) throws SQLException {
        return firstFindingAfter(tampering, true);
    }

    /** Tampers as the superuser (past the append-only trigger when asked), verifies inside that transaction, rolls back. */
    private static Finding firstFindingAfter(String tampering, boolean bypassTriggers) throws SQLException {
        try (Connection superuser = database.ownerConnection()) {
            superuser.setAutoCommit(false);
            try (Statement statement = superuser.createStatement()) {
                if (bypassTriggers) {
                    statement.execute("SET LOCAL session_replication_role = replica");
                }
                statement.execute(tampering);
                LedgerVerifier.Report report = new LedgerVerifier().verify(superuser, null, position -> {
                });
                assertThat(report.findings()).as("tampering is found").isNotEmpty();
                return report.findings().get(0);
            } finally {
                superuser.rollback();
            }
        }
    }

    private static long positionOf(String accountId, long sequence) throws SQLException {
        try (Connection connection = database.ownerConnection();
             PreparedStatement query = connection.prepareStatement("SELECT globalIndex FROM events.domain_event_entry"
                     + " WHERE aggregateIdentifier = ? AND sequenceNumber = ?")) {
            query.setString(1, accountId);
            query.setLong(2, sequence);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                return row.getLong(1);
            }
        }
    }
}
