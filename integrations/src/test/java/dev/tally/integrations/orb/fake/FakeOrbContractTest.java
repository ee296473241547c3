package dev.tally.integrations.orb.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.integrations.fake.HeldRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

// Goal: the fake Orb speaks every protocol point of PROTOCOLS section A that Tally relies on, over raw HTTP.
class FakeOrbContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    /** The fake's "now", by which it judges event timestamps: fixed, so that "6 minutes ahead" is exact. */
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-10T12:00:00Z"), ZoneOffset.UTC);
    private FakeOrb orb;

    @BeforeEach
    void start() {
        orb = FakeOrb.start(clock);
    }

    @AfterEach
    void stop() {
        orb.close();
    }

    @Test
    void refusesAWrongBearerKeyWithAnRfc7807Body() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(orb.baseUrl() + "/customers/x"))
                .header("Authorization", "Bearer wrong").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("type").asText()).endsWith("#401-authentication-error");
        assertThat(problem.path("status").asInt()).isEqualTo(401);
        assertThat(problem.has("title")).isTrue();
    }

    @Test
    void customersNeedNameAndEmailAndADuplicateExternalIdIsADuplicateResourceCreation() throws Exception {
        assertThat(post("/customers", null, "{\"name\":\"A\",\"external_customer_id\":\"acct-1\"}").statusCode())
                .isEqualTo(400);
        HttpResponse<String> created = post("/customers", null,
                "{\"name\":\"A\",\"email\":\"a@example.com\",\"external_customer_id\":\"acct-1\",\"currency\":\"USD\"}");
        assertThat(created.statusCode()).isEqualTo(200);
        String id = JSON.readTree(created.body()).path("id").asText();

        HttpResponse<String> duplicate = post("/customers", null,
                "{\"name\":\"B\",\"email\":\"b@example.com\",\"external_customer_id\":\"acct-1\"}");
        assertThat(duplicate.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(duplicate.body()).path("type").asText()).endsWith("#400-duplicate-resource-creation");

        assertThat(JSON.readTree(get("/customers/external_customer_id/acct-1").body()).path("id").asText()).isEqualTo(id);
        assertThat(get("/customers/" + id).statusCode()).isEqualTo(200);
        HttpResponse<String> missing = get("/customers/external_customer_id/nobody");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).path("type").asText()).endsWith("#404-resource-not-found");
    }

    @Test
    void aRequestIdempotencyKeyReplaysTheAnswerAndRefusesAnotherPayload() throws Exception {
        String body = "{\"name\":\"A\",\"email\":\"a@example.com\",\"external_customer_id\":\"acct-2\"}";
        HttpResponse<String> first = post("/customers", "key-1", body);
        HttpResponse<String> again = post("/customers", "key-1", body);
        assertThat(first.headers().firstValue("Idempotency-Key")).hasValue("key-1");
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(orb.state().customers()).hasSize(1);

        HttpResponse<String> other = post("/customers", "key-1", body.replace("\"A\"", "\"Z\""));
        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(post("/customers", "k".repeat(65), body).statusCode()).isEqualTo(400);
    }

    @Test
    void aRequestIdempotencyKeyStillRunningIsAConflictThatStoresNothing() throws Exception {
        String body = "{\"name\":\"A\",\"email\":\"a@example.com\",\"external_customer_id\":\"acct-4\"}";
        HeldRequest held = orb.holdNext("POST", "/v1/customers");
        CompletableFuture<HttpResponse<String>> first = http.sendAsync(HttpRequest.newBuilder(
                URI.create(orb.baseUrl() + "/customers")).header("Authorization", "Bearer " + FakeOrb.API_KEY)
                .header("Idempotency-Key", "key-4").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        held.awaitHeld();

        HttpResponse<String> concurrent = post("/customers", "key-4", body);
        held.release();

        assertThat(concurrent.statusCode()).isEqualTo(409);
        assertThat(concurrent.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(concurrent.headers().firstValue("Idempotency-Key")).hasValue("key-4");
        assertThat(JSON.readTree(concurrent.body()).path("type").asText()).endsWith("#409-resource-conflict");
        assertThat(first.get(HeldRequest.WAIT_MAX.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        HttpResponse<String> again = post("/customers", "key-4", body);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(again.body()).isEqualTo(first.get().body());
    }

    @Test
    void ingestValidatesEachEventAndListsTheFailuresWithoutIngestingTheBatch() throws Exception {
        Instant now = clock.instant();
        String good = event("ok-1", "\"external_customer_id\":\"acct-3\"", now, "{\"units\":3,\"region\":\"eu\"}");
        String[] bad = {
                event("future", "\"external_customer_id\":\"acct-3\"", now.plus(Duration.ofMinutes(6)), "{}"),
                event("old", "\"external_customer_id\":\"acct-3\"", now.minus(Duration.ofDays(2)), "{}"),
                event("both", "\"external_customer_id\":\"acct-3\",\"customer_id\":\"cus_x\"", now, "{}"),
                event("neither", "\"event_name_x\":1", now, "{}"),
                event("nested", "\"external_customer_id\":\"acct-3\"", now, "{\"a\":{\"b\":1}}"),
                "{\"idempotency_key\":\"noname\",\"external_customer_id\":\"acct-3\",\"timestamp\":\"" + now
                        + "\",\"properties\":{}}"};
        HttpResponse<String> response = post("/ingest", null, "{\"events\":[" + good + "," + String.join(",", bad)
                + "]}");
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode failed = JSON.readTree(response.body()).path("validation_failed");
        assertThat(failed).hasSize(bad.length);
        assertThat(failed.findValuesAsText("idempotency_key"))
                .containsExactlyInAnyOrder("future", "old", "both", "neither", "nested", "noname");
        assertThat(failed.get(0).path("validation_errors").get(0).asText()).contains("future");
        assertThat(orb.state().events()).isEmpty();

        // The valid event sent again on its own is ingested: failed batches mark nothing processed.
        HttpResponse<String> resent = post("/ingest", null, "{\"events\":[" + good + "]}");
        assertThat(resent.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(resent.body()).path("validation_failed")).isEmpty();
        assertThat(orb.state().total("acct-3", "api_call", "units")).isEqualByComparingTo("3");
    }

    @Test
    void ingestIsAtMostOncePerEventKeyAndRefusesDifferingDuplicatesInOneBatch() throws Exception {
        Instant now = clock.instant();
        String one = event("k1", "\"external_customer_id\":\"acct-4\"", now, "{\"units\":2}");
        assertThat(post("/ingest", null, "{\"events\":[" + one + "," + one + "]}").statusCode()).isEqualTo(200);
        HttpResponse<String> debug = post("/ingest?debug=true", null, "{\"events\":[" + one + "]}");
        assertThat(JSON.readTree(debug.body()).path("debug").path("duplicate").get(0).asText()).isEqualTo("k1");
        assertThat(orb.state().total("acct-4", "api_call", "units")).isEqualByComparingTo("2");

        String changed = event("k2", "\"external_customer_id\":\"acct-4\"", now, "{\"units\":5}");
        String changedAgain = event("k2", "\"external_customer_id\":\"acct-4\"", now, "{\"units\":6}");
        assertThat(post("/ingest", null, "{\"events\":[" + changed + "," + changedAgain + "]}").statusCode())
                .isEqualTo(400);
        assertThat(orb.state().eventsOf("acct-4")).hasSize(1);
    }

    @Test
    void ingestAboveTheBatchCapIsTooLarge() throws Exception {
        orb.state().batchCap(2);
        Instant now = clock.instant();
        String body = "{\"events\":[" + event("a", "\"external_customer_id\":\"x\"", now, "{}") + ","
                + event("b", "\"external_customer_id\":\"x\"", now, "{}") + ","
                + event("c", "\"external_customer_id\":\"x\"", now, "{}") + "]}";
        HttpResponse<String> response = post("/ingest", null, body);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(response.body()).path("status").asInt()).isEqualTo(413);
    }

    @Test
    void creditLedgerEntriesCreateBlocksAndVoidsNameThem() throws Exception {
        post("/customers", null, "{\"name\":\"A\",\"email\":\"a@example.com\",\"external_customer_id\":\"acct-5\"}");
        String path = "/customers/external_customer_id/acct-5/credits/ledger_entry";
        assertThat(post(path, null, "{\"entry_type\":\"increment\",\"amount\":\"10\"}").statusCode()).isEqualTo(400);
        JsonNode increment = JSON.readTree(post(path, null, "{\"entry_type\":\"increment\",\"amount\":10.50}").body());
        assertThat(increment.path("entry_type").asText()).isEqualTo("increment");
        String block = increment.path("credit_block").path("id").asText();
        assertThat(block).startsWith("blk_");

        assertThat(post(path, null, "{\"entry_type\":\"void\",\"amount\":11,\"block_id\":\"" + block + "\"}")
                .statusCode()).isEqualTo(400);
        HttpResponse<String> voided = post(path, null, "{\"entry_type\":\"void\",\"amount\":4.5,\"block_id\":\""
                + block + "\"}");
        assertThat(voided.statusCode()).isEqualTo(200);
        assertThat(orb.state().blocksOf("acct-5").get(0).balance()).isEqualByComparingTo("6.00");
        assertThat(post("/customers/external_customer_id/nobody/credits/ledger_entry", null,
                "{\"entry_type\":\"increment\",\"amount\":1}").statusCode()).isEqualTo(404);
    }

    @Test
    void faultsAnswerTheNextRequestsAndThenTheFakeRecovers() throws Exception {
        orb.failNext(1, new FakeOrbFault.TooManyRequests(2));
        orb.failNext(1, new FakeOrbFault.ServerError());
        orb.failNext(1, new FakeOrbFault.ConnectionReset());
        HttpResponse<String> limited = get("/customers/x");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("2");
        HttpResponse<String> failed = get("/customers/x");
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.headers().firstValue("Transient-Error")).hasValue("true");
        try {
            // A POST: the JDK client silently retries a GET once on a dropped connection.
            post("/customers", null, "{}");
            org.junit.jupiter.api.Assertions.fail("the connection should have been dropped");
        } catch (IOException expected) {
            // the connection closed without an answer
        }
        assertThat(get("/customers/x").statusCode()).isEqualTo(404);
        orb.assertAllFaultsHit();
        assertThat(orb.receivedCount("GET", "/v1/customers/x")).isEqualTo(3);
        assertThat(orb.receivedCount("POST", "/v1/customers")).isEqualTo(1);
    }

    private static String event(String key, String customer, Instant at, String properties) {
        return "{\"idempotency_key\":\"" + key + "\"," + customer + ",\"event_name\":\"api_call\",\"timestamp\":\""
                + at + "\",\"properties\":" + properties + "}";
    }

    private HttpResponse<String> post(String path, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(orb.baseUrl() + path))
                .header("Authorization", "Bearer " + FakeOrb.API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(orb.baseUrl() + path))
                .header("Authorization", "Bearer " + FakeOrb.API_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
