package dev.tally.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.projections.support.ProcessingGroups;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.ServerTest;
import dev.tally.server.web.position.LedgerPositions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.StreamSupport;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

// Goal: every command answer names its Ledger-Position, and a read asking for that position sees the write.
class ReadYourWritesEndToEndTest extends ServerTest {

    /** Far beyond anything a test run writes: a position this API never answered. */
    private static final long NEVER_GIVEN_OUT = 1_000_000_000_000L;

    @Autowired
    private EventProcessingConfiguration processing;

    @Test
    void eachCommandAnswerCarriesAPositionThatTheNextReadSees() {
        String planId = Api.unique("plan");
        Api.Response plan = api().post("/v1/plans", ADMIN_KEY, """
                {"planId":"%s","currency":"USD","effectiveFrom":"2026-01-01T00:00:00Z","prices":[
                  {"meter":"gpu_seconds","model":"per_unit","unitPrice":"0.002"}]}""".formatted(planId));
        long planPosition = positionOf(plan, 201);
        Api.Response planRead = api().get("/v1/plans/" + planId + "?minPosition=" + planPosition, ADMIN_KEY);
        assertThat(planRead.status()).isEqualTo(200);
        assertThat(planRead.body().get("versions")).hasSize(1);

        String accountId = Api.unique("acct");
        String base = "/v1/accounts/" + accountId;
        long opened = positionOf(api().post("/v1/accounts", ADMIN_KEY, """
                {"accountId":"%s","name":"RYW Co","currency":"USD","planId":"%s","billingStart":"2026-01-01T00:00:00Z"}"""
                .formatted(accountId, planId)), 201);
        assertThat(opened).isGreaterThan(planPosition);
        Api.Response account = api().get(base + "?minPosition=" + opened, ADMIN_KEY);
        assertThat(account.status()).isEqualTo(200);
        assertThat(account.body().get("name").asText()).isEqualTo("RYW Co");
        assertThat(balance(base, opened).get("creditBalance").asText()).isEqualTo("0.00");

        long granted = positionOf(api().post(base + "/credits", ADMIN_KEY,
                "{\"grantId\":\"g1\",\"amount\":\"10\",\"kind\":\"promotional\",\"effectiveAt\":\"2026-01-01T00:00:00Z\"}"),
                201);
        assertThat(granted).isGreaterThan(opened);
        assertThat(balance(base, granted).get("creditBalance").asText()).isEqualTo("10.00");
        assertThat(journalPositions(base, granted)).contains(granted);

        Api.Response usage = api().post("/v1/usage", ADMIN_KEY, """
                {"events":[{"idempotencyKey":"u1","accountId":"%s","meter":"gpu_seconds","quantity":"1000","timestamp":"%s"}]}"""
                .formatted(accountId, LedgerScenario.recently()));
        long used = positionOf(usage, 200);
        assertThat(used).isGreaterThan(granted);
        // 1000 × 0.002 = 2.00, all of it from the promotional grant.
        assertThat(balance(base, used).get("creditBalance").asText()).isEqualTo("8.00");
        JsonNode days = api().get(base + "/usage?minPosition=" + used, ADMIN_KEY).body().get("items");
        assertThat(days).hasSize(1);
        assertThat(days.get(0).get("quantity").asText()).isEqualTo("1000");
        assertThat(days.get(0).get("accrued").asText()).isEqualTo("2.00");
        assertThat(journalPositions(base, used)).contains(used);

        long charged = positionOf(api().post(base + "/charges", ADMIN_KEY,
                "{\"chargeId\":\"c1\",\"amount\":\"5\",\"description\":\"support plan\"}"), 201);
        assertThat(balance(base, charged).get("creditBalance").asText()).isEqualTo("3.00");
        assertThat(journalPositions(base, charged)).contains(charged);

        long paid = positionOf(api().post(base + "/payments", ADMIN_KEY,
                "{\"paymentId\":\"p1\",\"amount\":\"4\",\"method\":\"card\"}"), 201);
        assertThat(balance(base, paid).get("unappliedCash").asText()).isEqualTo("4.00");
        assertThat(journalPositions(base, paid)).contains(paid);

        long refunded = positionOf(api().post(base + "/refunds", ADMIN_KEY,
                "{\"refundId\":\"r1\",\"paymentId\":\"p1\",\"amount\":\"1\"}"), 201);
        assertThat(balance(base, refunded).get("unappliedCash").asText()).isEqualTo("3.00");

        long voided = positionOf(api().post(base + "/credits/g1/void", ADMIN_KEY, "{\"reason\":\"end of trial\"}"), 200);
        assertThat(voided).isGreaterThan(refunded);
        JsonNode afterVoid = balance(base, voided);
        assertThat(afterVoid.get("creditBalance").asText()).isEqualTo("0.00");
        // The balance names the position of the last event that changed it: the void, or a later one.
        assertThat(afterVoid.get("position").asLong()).isGreaterThan(refunded).isLessThanOrEqualTo(voided);

        assertThat(List.of(opened, granted, used, charged, paid, refunded, voided)).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aReadAtAPositionNoProjectionHasReachedAnswers503WithRetryAfterAfterFiveSeconds() {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        String base = "/v1/accounts/" + ledger.accountId;
        List<String> reads = List.of(base + "/balance", base + "/journal", base + "/usage", base);
        EventProcessor projections = processing.eventProcessor(ProcessingGroups.LEDGER_PROJECTIONS).orElseThrow();
        projections.shutDown();
        try {
            // Committed, so a real position, but no projection runs to reach it.
            long unreached = ledger.usage(Api.unique("u"), "gpu_seconds", "1", LedgerScenario.recently()).position();
            List<CompletableFuture<TimedResponse>> pending = reads.stream()
                    .map(path -> CompletableFuture.supplyAsync(() -> timed(path + "?minPosition=" + unreached)))
                    .toList();
            for (int i = 0; i < reads.size(); i++) {
                TimedResponse read = pending.get(i).join();
                assertThat(read.response().status()).as(reads.get(i) + ": " + read.response().raw().body()).isEqualTo(503);
                assertThat(read.response().contentType()).startsWith("application/problem+json");
                assertThat(read.response().code()).isEqualTo("position_not_reached");
                assertThat(read.response().header("Retry-After")).isEqualTo("1");
                // The wait is the thing under test, and the server times it with System.nanoTime (no Clock to
                // move): the read's own duration is measured, bounded below by the server's wait itself.
                assertThat(read.elapsed()).as(reads.get(i)).isBetween(LedgerPositions.MAX_WAIT, Duration.ofSeconds(20));
            }
        } finally {
            projections.start();
        }
        // The same reads without a position, or at a reached one, answer at once.
        Api.Response now = ledger.balance(1);
        assertThat(now.status()).isEqualTo(200);
        assertThat(now.header("Retry-After")).isNull();
    }

    @Test
    void aPositionPastTheLedgersLastIsRefusedAtOnce() {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        String base = "/v1/accounts/" + ledger.accountId;
        for (String path : List.of(base + "/balance", base + "/journal", base + "/usage", base, "/v1/plans/" + ledger.planId)) {
            TimedResponse read = timed(path + "?minPosition=" + NEVER_GIVEN_OUT);
            assertThat(read.response().status()).as(path + ": " + read.response().raw().body()).isEqualTo(422);
            assertThat(read.response().code()).isEqualTo("invalid_field");
            assertThat(read.response().body().get("detail").asText()).contains("past the ledger's last position");
            assertThat(read.elapsed()).as(path).isLessThan(Duration.ofSeconds(4));
        }
    }

    private record TimedResponse(Api.Response response, Duration elapsed) {
    }

    private TimedResponse timed(String path) {
        long start = System.nanoTime();
        Api.Response response = api().get(path, ADMIN_KEY);
        return new TimedResponse(response, Duration.ofNanos(System.nanoTime() - start));
    }

    private static long positionOf(Api.Response response, int status) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(status);
        assertThat(response.header("Ledger-Position")).as("Ledger-Position").isNotNull();
        long position = response.position();
        assertThat(position).isPositive();
        return position;
    }

    private JsonNode balance(String base, long minPosition) {
        Api.Response balance = api().get(base + "/balance?minPosition=" + minPosition, ADMIN_KEY);
        assertThat(balance.status()).as(balance.raw().body()).isEqualTo(200);
        return balance.body();
    }

    private List<Long> journalPositions(String base, long minPosition) {
        Api.Response journal = api().get(base + "/journal?limit=1000&minPosition=" + minPosition, ADMIN_KEY);
        assertThat(journal.status()).as(journal.raw().body()).isEqualTo(200);
        return StreamSupport.stream(journal.body().get("items").spliterator(), false)
                .map(item -> item.get("position").asLong()).toList();
    }
}
