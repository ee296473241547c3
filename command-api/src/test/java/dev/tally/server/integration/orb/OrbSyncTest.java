package dev.tally.server.integration.orb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.integrations.orb.OrbAccountSync;
import dev.tally.integrations.orb.OrbRetryCounter;
import dev.tally.integrations.orb.OrbUsageForwarder;
import dev.tally.integrations.orb.fake.FakeOrb;
import dev.tally.integrations.orb.fake.FakeOrbFault;
import dev.tally.integrations.orb.fake.FakeOrbState;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.ForgedEvents;
import dev.tally.server.testing.InProcessServer;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.ServerTest;
import dev.tally.server.testing.TestClock;
import dev.tally.server.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static dev.tally.server.testing.Eventually.await;
import static dev.tally.server.testing.Eventually.awaitTrue;

// Goal: the server keeps a fake Orb in step (customers, usage exactly once, credits) through faults, refusals and replays.
// A server of its own (not ServerTest's shared one): a second cached Spring context would pause the shared one, and
// Axon's processors cannot be restarted; its own database also keeps other tests' history out of the fake.
class OrbSyncTest {

    private static final String ADMIN_KEY = ServerTest.ADMIN_KEY;
    private static final FakeOrb ORB = FakeOrb.start();
    /** The server's clock: real time, until a test stops it to let a grant expire on cue. */
    private static final TestClock CLOCK = new TestClock();

    private static TestDatabase.Endpoint database;
    private static InProcessServer server;
    private static OrbDeadLetters deadLetters;
    private static OrbRetryCounter retries;
    private static EventProcessingConfiguration processing;

    @BeforeAll
    static void serverSyncingWithTheFake() {
        database = TestDatabase.fresh("orb_sync");
        server = InProcessServer.start(database, CLOCK, Map.of(
                "tally.invoice.scheduler-enabled", "false",
                "tally.audit.checkpoint-enabled", "false",
                "tally.expiry.interval", "PT0.5S",
                "tally.orb.api-key", FakeOrb.API_KEY,
                "tally.orb.base-url", ORB.baseUrl(),
                "tally.orb.read-timeout", "PT0.5S",
                "tally.orb.retries-max", "3"));
        deadLetters = server.bean(OrbDeadLetters.class);
        retries = server.bean(OrbRetryCounter.class);
        processing = server.bean(EventProcessingConfiguration.class);
    }

    @AfterAll
    static void stop() {
        server.close();
        ORB.close();
    }

    @BeforeEach
    @AfterEach
    void healTheFakeAndReleaseTheClock() {
        ORB.clearFaults();
        ORB.faultsOnly(request -> true);
        ORB.state().gracePeriod(Duration.ofDays(30));
        CLOCK.release();
    }

    @Test
    void anOpenedAccountBecomesAnOrbCustomerLinkedOnTheAccountAndItsUsageReachesOrbOnce() {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        ObjectNode customer = await("the Orb customer", () -> ORB.state().customerByExternalId(ledger.accountId)
                .orElse(null));
        assertThat(customer.path("name").asText()).isEqualTo("Test Co");
        assertThat(customer.path("currency").asText()).isEqualTo("USD");
        assertThat(customer.path("email").asText()).endsWith("@no-email.tally.invalid");
        String orbId = customer.path("id").asText();
        awaitTrue("the link on the account", () -> orbId.equals(account(ledger).path("externalIds").path("orb")
                .asText(null)));

        Instant used = LedgerScenario.recently();
        assertThat(ledger.usage("u1", "gpu_seconds", "1500", used).status()).isEqualTo(200);
        assertThat(ledger.usage("u2", "gpu_seconds", "20.5", used).status()).isEqualTo(200);
        assertThat(ledger.usage("u3", "images", "7", used).status()).isEqualTo(200);
        assertThat(ledger.usage("u1", "gpu_seconds", "1500", used).status()).as("a duplicate").isEqualTo(200);

        awaitTrue("three events in Orb", () -> ORB.state().eventsOf(ledger.accountId).size() == 3);
        assertThat(ORB.state().total(ledger.accountId, "gpu_seconds", "quantity")).isEqualByComparingTo("1520.5");
        assertThat(ORB.state().total(ledger.accountId, "images", "quantity")).isEqualByComparingTo("7");
        List<FakeOrbState.IngestedEvent> events = ORB.state().eventsOf(ledger.accountId);
        assertThat(events).extracting(FakeOrbState.IngestedEvent::idempotencyKey).containsExactlyInAnyOrder(
                ledger.accountId + "/u1", ledger.accountId + "/u2", ledger.accountId + "/u3");
        assertThat(events).extracting(FakeOrbState.IngestedEvent::timestamp).containsOnly(used);
        assertThat(ORB.state().customers()).filteredOn(c -> ledger.accountId.equals(
                c.path("external_customer_id").asText())).hasSize(1);
    }

    @Test
    void usageReachesOrbExactlyOnceThrough429s5xxTimeoutsAndResets() {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        awaitTrue("the Orb customer", () -> ORB.state().customerByExternalId(ledger.accountId).isPresent());
        long retriesBefore = retries.retries();
        ORB.faultsOnly(request -> request.path().equals("/v1/ingest"));
        // Four failures in a row outlast the client's three retries: the processor rolls back and tries again.
        ORB.failNext(1, new FakeOrbFault.ConnectionReset());
        ORB.failNext(1, new FakeOrbFault.ServerError());
        ORB.failNext(1, new FakeOrbFault.TooManyRequests(1));
        ORB.failNext(1, new FakeOrbFault.ServerError());
        // Answered after the client gave up: Orb ingests it, and the retry must not count it twice.
        ORB.failNext(1, new FakeOrbFault.Late());

        Instant used = LedgerScenario.recently();
        for (int i = 1; i <= 5; i++) {
            assertThat(ledger.usage("f" + i, "gpu_seconds", Integer.toString(i * 10), used).status()).isEqualTo(200);
        }

        awaitTrue("all usage in Orb", () -> ORB.state().eventsOf(ledger.accountId).size() == 5);
        ORB.assertAllFaultsHit();
        assertThat(ORB.state().total(ledger.accountId, "gpu_seconds", "quantity")).isEqualByComparingTo("150");
        // Three retries after the reset, the 500 and the 429; the second 500 ends the client's tries; the
        // processor's next try meets the late answer, times out and retries once more.
        assertThat(retries.retries() - retriesBefore).as("retries counted").isEqualTo(4);
    }

    @Test
    void anEventOrbRefusesIsDeadLetteredWithoutHoldingUpTheRestAndGoesThroughOnceOrbAcceptsIt() {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        Instant recent = LedgerScenario.recently();
        Instant old = recent.minus(40, ChronoUnit.DAYS);
        Api.Response both = api().post("/v1/usage", ADMIN_KEY, """
                {"events":[
                  {"idempotencyKey":"old","accountId":"%1$s","meter":"images","quantity":"4","timestamp":"%2$s"},
                  {"idempotencyKey":"new","accountId":"%1$s","meter":"images","quantity":"6","timestamp":"%3$s"}]}
                """.formatted(ledger.accountId, old, recent));
        assertThat(both.raw().body()).doesNotContain("rejected");
        assertThat(ledger.usage("later", "images", "1", recent).status()).isEqualTo(200);

        awaitTrue("the valid usage in Orb", () -> ORB.state().eventsOf(ledger.accountId).size() == 2);
        awaitTrue("the refused event parked", () -> deadLetters.sequences(OrbUsageForwarder.PROCESSING_GROUP) == 1);
        assertThat(ORB.state().total(ledger.accountId, "images", "quantity")).isEqualByComparingTo("7");

        deadLetters.retry(OrbUsageForwarder.PROCESSING_GROUP);
        assertThat(ORB.state().eventsOf(ledger.accountId)).as("still refused").hasSize(2);

        ORB.state().gracePeriod(Duration.ofDays(60));
        deadLetters.retry(OrbUsageForwarder.PROCESSING_GROUP);
        assertThat(ORB.state().eventsOf(ledger.accountId)).hasSize(3);
        assertThat(ORB.state().total(ledger.accountId, "images", "quantity")).isEqualByComparingTo("11");
        deadLetters.retry(OrbUsageForwarder.PROCESSING_GROUP);
        assertThat(ORB.state().total(ledger.accountId, "images", "quantity")).as("a second retry sends nothing")
                .isEqualByComparingTo("11");
    }

    @Test
    void aReplayOfTheOrbProcessorsSendsNothingAgain() throws Exception {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        assertThat(ledger.usage("r1", "gpu_seconds", "42", LedgerScenario.recently()).status()).isEqualTo(200);
        awaitTrue("usage in Orb", () -> ORB.state().eventsOf(ledger.accountId).size() == 1);
        awaitTrue("the link on the account", () -> account(ledger).path("externalIds").hasNonNull("orb"));
        long ingestsBefore = ORB.receivedCount("POST", "/v1/ingest");
        long customersBefore = ORB.receivedCount("POST", "/v1/customers");

        for (String group : List.of(OrbUsageForwarder.PROCESSING_GROUP, OrbAccountSync.PROCESSING_GROUP)) {
            StreamingEventProcessor processor = processing.eventProcessor(group, StreamingEventProcessor.class)
                    .orElseThrow();
            processor.shutdownAsync().get();
            processor.resetTokens();
            processor.start();
        }
        for (String group : List.of(OrbUsageForwarder.PROCESSING_GROUP, OrbAccountSync.PROCESSING_GROUP)) {
            StreamingEventProcessor processor = processing.eventProcessor(group, StreamingEventProcessor.class)
                    .orElseThrow();
            awaitTrue("the replay of " + group + " started", () -> !processor.processingStatus().isEmpty());
            awaitTrue("the replay of " + group + " done", () -> !processor.isReplaying());
        }

        assertThat(ORB.receivedCount("POST", "/v1/ingest")).isEqualTo(ingestsBefore);
        assertThat(ORB.receivedCount("POST", "/v1/customers")).isEqualTo(customersBefore);
        assertThat(ORB.state().total(ledger.accountId, "gpu_seconds", "quantity")).isEqualByComparingTo("42");
    }

    @Test
    void grantsVoidsAndExpiriesReachOrbsCreditLedger() {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        String base = "/v1/accounts/" + ledger.accountId + "/credits";
        assertThat(api().post(base, ADMIN_KEY, Api.json("grantId", "kept", "amount", "25.00", "kind", "prepaid"))
                .status()).isEqualTo(201);
        assertThat(api().post(base, ADMIN_KEY, Api.json("grantId", "voided", "amount", "10.00", "kind", "promotional"))
                .status()).isEqualTo(201);
        // The clock stands still until the test moves it past the expiry: however slow the machine, the grant
        // expires only then, and by the scheduler.
        Instant expiresAt = CLOCK.freeze().plusSeconds(1);
        assertThat(api().post(base, ADMIN_KEY, Api.json("grantId", "expiring", "amount", "5.00", "kind", "promotional",
                "expiresAt", expiresAt.toString())).status()).isEqualTo(201);
        assertThat(api().post(base + "/voided/void", ADMIN_KEY, Api.json("reason", "goodwill withdrawn")).status())
                .isEqualTo(200);
        CLOCK.advance(Duration.ofSeconds(2));

        awaitTrue("three increments and two voids in Orb", () -> ORB.state().ledgerEntriesOf(ledger.accountId)
                .size() == 5);
        List<FakeOrbState.LedgerEntry> entries = ORB.state().ledgerEntriesOf(ledger.accountId);
        assertThat(entries).filteredOn(e -> e.entryType().equals("increment")).extracting(
                FakeOrbState.LedgerEntry::amount).usingElementComparator(BigDecimal::compareTo)
                .containsExactlyInAnyOrder(new BigDecimal("25"), new BigDecimal("10"), new BigDecimal("5"));
        assertThat(entries).filteredOn(e -> e.entryType().equals("increment"))
                .allSatisfy(e -> assertThat(e.request().has("expiry_date")).as("Orb never expires on its own")
                        .isFalse());
        assertThat(entries).filteredOn(e -> e.entryType().equals("void")).extracting(FakeOrbState.LedgerEntry::amount)
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactlyInAnyOrder(new BigDecimal("10"), new BigDecimal("5"));
        assertThat(ORB.state().blocksOf(ledger.accountId)).extracting(FakeOrbState.Block::balance)
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactlyInAnyOrder(new BigDecimal("25"), BigDecimal.ZERO, BigDecimal.ZERO);
        assertThat(entries).filteredOn(e -> e.entryType().equals("void"))
                .extracting(e -> e.request().path("metadata").path("tally_closed_as").asText())
                .containsExactlyInAnyOrder("void", "expiry");
    }

    @Test
    void aRefusedGrantHoldsBackItsAccountsLaterCreditEventsOnlyAndTheyFollowInOrderWhenRetried() {
        LedgerScenario refused = LedgerScenario.open(api(), ADMIN_KEY);
        LedgerScenario other = LedgerScenario.open(api(), ADMIN_KEY);
        awaitTrue("both customers", () -> ORB.state().customerByExternalId(refused.accountId).isPresent()
                && ORB.state().customerByExternalId(other.accountId).isPresent());
        ORB.faultsOnly(request -> request.path().contains("/" + refused.accountId + "/credits/"));
        ORB.failNext(1, new FakeOrbFault.Refused(400, "400-request-validation-errors", "refused by the test"));

        String credits = "/v1/accounts/" + refused.accountId + "/credits";
        assertThat(api().post(credits, ADMIN_KEY, Api.json("grantId", "g1", "amount", "8.00", "kind", "prepaid"))
                .status()).isEqualTo(201);
        assertThat(api().post(credits + "/g1/void", ADMIN_KEY, "{}").status()).isEqualTo(200);
        assertThat(api().post("/v1/accounts/" + other.accountId + "/credits", ADMIN_KEY,
                Api.json("grantId", "g1", "amount", "3.00", "kind", "prepaid")).status()).isEqualTo(201);

        awaitTrue("the other account's grant in Orb", () -> ORB.state().ledgerEntriesOf(other.accountId).size() == 1);
        // The void is parked behind its grant only once the processor reaches it: retrying earlier would
        // send the grant alone and leave the void to the live stream, racing this test's assertion.
        awaitTrue("the refused grant and its void parked",
                () -> deadLetters.letters(OrbAccountSync.PROCESSING_GROUP) == 2);
        assertThat(ORB.state().ledgerEntriesOf(refused.accountId)).as("the void waits behind its grant").isEmpty();

        ORB.assertAllFaultsHit();

        deadLetters.retry(OrbAccountSync.PROCESSING_GROUP);
        assertThat(ORB.state().ledgerEntriesOf(refused.accountId)).extracting(FakeOrbState.LedgerEntry::entryType)
                .containsExactly("increment", "void");
        assertThat(ORB.state().blocksOf(refused.accountId)).extracting(FakeOrbState.Block::balance)
                .usingElementComparator(BigDecimal::compareTo).containsExactly(BigDecimal.ZERO);
    }

    @Test
    void eventsTheReadModelsCannotHoldDoNotHoldUpTheOrbSync() {
        LedgerScenario poisoned = LedgerScenario.open(api(), ADMIN_KEY);
        LedgerScenario other = LedgerScenario.open(api(), ADMIN_KEY);
        awaitTrue("both customers", () -> ORB.state().customerByExternalId(poisoned.accountId).isPresent()
                && ORB.state().customerByExternalId(other.accountId).isPresent());
        assertThat(api().post("/v1/accounts/" + poisoned.accountId + "/credits", ADMIN_KEY,
                Api.json("grantId", "g1", "amount", "5.00", "kind", "prepaid")).status()).isEqualTo(201);
        awaitTrue("the real grant in Orb", () -> ORB.state().ledgerEntriesOf(poisoned.accountId).size() == 1);
        // As an older version could have stored them: a U+0000 in a text, an instant past PostgreSQL's range.
        ForgedEvents.appendCopy(database, poisoned.accountId, "CreditGranted",
                Map.of("grantId", "poison-nul", "description", "a NUL \u0000 here"));
        ForgedEvents.appendCopy(database, poisoned.accountId, "CreditGranted",
                Map.of("grantId", "poison-instant", "expiresAt", "+999999999-12-31T23:59:59Z"));

        assertThat(api().post("/v1/accounts/" + other.accountId + "/credits", ADMIN_KEY,
                Api.json("grantId", "g1", "amount", "3.00", "kind", "prepaid")).status()).isEqualTo(201);
        assertThat(other.usage("after-poison", "gpu_seconds", "10", LedgerScenario.recently()).status()).isEqualTo(200);

        awaitTrue("the other account's grant and usage in Orb", () -> ORB.state().ledgerEntriesOf(other.accountId)
                .size() == 1 && ORB.state().eventsOf(other.accountId).size() == 1);
        // Neither holds the sync up, nor is parked: Orb is sent no expiry (the ledger expires credit), and takes the text.
        awaitTrue("both poison grants in Orb too", () -> ORB.state().ledgerEntriesOf(poisoned.accountId).size() == 3);
        SequencedDeadLetterQueue<EventMessage<?>> parked = processing.deadLetterQueue(OrbAccountSync.PROCESSING_GROUP)
                .orElseThrow();
        assertThat(lettersOf(parked, poisoned.accountId)).isEmpty();
    }

    private static List<DeadLetter<? extends EventMessage<?>>> lettersOf(SequencedDeadLetterQueue<EventMessage<?>> queue,
                                                                       String accountId) {
        List<DeadLetter<? extends EventMessage<?>>> letters = new java.util.ArrayList<>();
        queue.deadLetterSequence(accountId).forEach(letters::add);
        return letters;
    }

    private static Api api() {
        return server.api();
    }

    private com.fasterxml.jackson.databind.JsonNode account(LedgerScenario ledger) {
        return api().get("/v1/accounts/" + ledger.accountId, ADMIN_KEY).body();
    }
}
