package dev.tally.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ledger.testing.MovableClock;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.InProcessServer;
import dev.tally.server.testing.ServerTest;
import dev.tally.server.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

// Goal: with the server's clock moved by the test, a rotated-out secret works exactly until the end of its
// grace period and not a moment longer, and the last active admin key cannot be revoked.
class ApiKeyRotationEndToEndTest {

    private static final Instant START = Instant.parse("2031-05-01T09:00:00Z");
    private static final MovableClock CLOCK = new MovableClock(START);

    private static InProcessServer server;

    @BeforeAll
    static void start() {
        server = InProcessServer.start(TestDatabase.fresh("api_key_rotation"), CLOCK,
                Map.of("tally.invoice.scheduler-enabled", "false"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theReplacedSecretWorksUntilTheGracePeriodEndsThenIsUnauthorized() {
        Api api = server.api();
        CLOCK.set(START);
        Api.Response issued = api.post("/v1/api-keys", ServerTest.ADMIN_KEY, "{\"name\":\"ingest\",\"role\":\"finance\"}");
        String id = issued.body().get("id").asText();
        String old = issued.body().get("key").asText();

        Api.Response rotated = api.post("/v1/api-keys/" + id + "/rotate", ServerTest.ADMIN_KEY, "{\"gracePeriod\":\"P1D\"}");
        assertThat(rotated.status()).as(rotated.raw().body()).isEqualTo(200);
        String fresh = rotated.body().get("key").asText();
        Instant end = START.plus(Duration.ofDays(1));
        assertThat(rotated.body().get("previousKeyValidUntil").asText()).isEqualTo(end.toString());

        assertThat(api.get("/v1/me", old).status()).as("the old secret within its grace").isEqualTo(200);
        assertThat(api.get("/v1/me", fresh).status()).isEqualTo(200);
        assertThat(listed(api, id)).contains("\"previousKeyValidUntil\":\"" + end + "\"");

        CLOCK.set(end.minusMillis(1));
        assertThat(api.get("/v1/me", old).status()).as("a millisecond before the end").isEqualTo(200);

        CLOCK.set(end);
        Api.Response refused = api.get("/v1/me", old);
        assertThat(refused.status()).as("at the end").isEqualTo(401);
        assertThat(refused.code()).isEqualTo("unauthorized");
        assertThat(api.get("/v1/me", fresh).status()).isEqualTo(200);
        assertThat(listed(api, id)).contains("\"previousKeyValidUntil\":null");

        // A second rotation gives the first rotation's secret no new life.
        CLOCK.set(end.plusSeconds(60));
        Api.Response again = api.post("/v1/api-keys/" + id + "/rotate", ServerTest.ADMIN_KEY, "{\"gracePeriod\":\"PT1H\"}");
        assertThat(again.status()).as(again.raw().body()).isEqualTo(200);
        assertThat(again.body().get("previousKeyValidUntil").asText())
                .isEqualTo(end.plusSeconds(60).plus(Duration.ofHours(1)).toString());
        assertThat(api.get("/v1/me", old).status()).isEqualTo(401);
        assertThat(api.get("/v1/me", fresh).status()).as("the second secret within its grace").isEqualTo(200);
        assertThat(api.get("/v1/me", again.body().get("key").asText()).status()).isEqualTo(200);

        // Revoking ends the grace too: no secret of a revoked key works.
        api.post("/v1/api-keys/" + id + "/revoke", ServerTest.ADMIN_KEY, "");
        assertThat(api.get("/v1/me", fresh).status()).isEqualTo(401);
        assertThat(api.get("/v1/me", again.body().get("key").asText()).status()).isEqualTo(401);
    }

    @Test
    void theLastActiveAdminKeyCannotBeRevoked() {
        Api api = server.api();
        String bootstrapId = api.get("/v1/me", ServerTest.ADMIN_KEY).body().get("id").asText();
        Api.Response second = api.post("/v1/api-keys", ServerTest.ADMIN_KEY, "{\"name\":\"second admin\",\"role\":\"admin\"}");
        String secondId = second.body().get("id").asText();
        String secondKey = second.body().get("key").asText();

        Api.Response revoked = api.post("/v1/api-keys/" + secondId + "/revoke", ServerTest.ADMIN_KEY, "");
        assertThat(revoked.status()).as(revoked.raw().body()).isEqualTo(200);
        Api.Response refused = api.post("/v1/api-keys/" + bootstrapId + "/revoke", ServerTest.ADMIN_KEY, "");
        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("last_admin_key");
        assertThat(api.get("/v1/me", ServerTest.ADMIN_KEY).status()).isEqualTo(200);
        assertThat(api.get("/v1/me", secondKey).status()).isEqualTo(401);
    }

    private static String listed(Api api, String id) {
        Api.Response page = api.get("/v1/api-keys", ServerTest.ADMIN_KEY);
        for (var key : page.body().get("items")) {
            if (key.get("id").asText().equals(id)) {
                return key.toString();
            }
        }
        throw new AssertionError("key " + id + " is not listed");
    }
}
