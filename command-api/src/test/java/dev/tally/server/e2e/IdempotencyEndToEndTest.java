package dev.tally.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.ServerTest;
import dev.tally.server.testing.StoredEvents;
import java.sql.SQLException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

// Goal: a retried POST replays its first answer and writes nothing; a changed retry is an explicit conflict.
class IdempotencyEndToEndTest extends ServerTest {

    private static final String GRANT = """
            {"grantId":"g1","amount":"10","kind":"promotional","effectiveAt":"2026-01-01T00:00:00Z"}""";

    /** What a retry must leave unchanged: the account's events, its balance and its journal. */
    private record LedgerState(int events, JsonNode balance, int journalItems) {
    }

    @Test
    void theSameKeyAndBodyReplaysTheFirstAnswerAndWritesNothing() throws SQLException {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        String key = Api.unique("idem");
        Api.Response first = api().post(credits(ledger), ADMIN_KEY, GRANT, "Idempotency-Key", key);
        assertThat(first.status()).as(first.raw().body()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        LedgerState before = state(ledger, first.position());

        Api.Response replay = api().post(credits(ledger), ADMIN_KEY, GRANT, "Idempotency-Key", key);

        assertThat(replay.status()).isEqualTo(first.status());
        assertThat(replay.raw().body()).isEqualTo(first.raw().body());
        assertThat(replay.header("Ledger-Position")).isEqualTo(first.header("Ledger-Position"));
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.body().get("status").asText()).isEqualTo("accepted");
        assertThat(state(ledger, first.position())).isEqualTo(before);
    }

    @Test
    void aReplayedUsageBatchAnswersAsTheFirstTimeAndRecordsNothingAgain() throws SQLException {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        String batch = """
                {"events":[{"idempotencyKey":"u1","accountId":"%s","meter":"gpu_seconds","quantity":"1000","timestamp":"%s"}]}"""
                .formatted(ledger.accountId, LedgerScenario.recently());
        String key = Api.unique("idem");
        Api.Response first = api().post("/v1/usage", ADMIN_KEY, batch, "Idempotency-Key", key);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().get("results").get(0).get("status").asText()).isEqualTo("accepted");
        LedgerState before = state(ledger, first.position());

        Api.Response replay = api().post("/v1/usage", ADMIN_KEY, batch, "Idempotency-Key", key);

        assertThat(replay.status()).isEqualTo(200);
        // The replay is the stored first answer ("accepted"), not a fresh run that would say "duplicate".
        assertThat(replay.raw().body()).isEqualTo(first.raw().body());
        assertThat(replay.header("Ledger-Position")).isEqualTo(first.header("Ledger-Position"));
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(state(ledger, first.position())).isEqualTo(before);
        assertThat(before.balance().get("unbilled").asText()).isEqualTo("2.00");
    }

    @Test
    void theSameKeyWithADifferentBodyIsAConflictAndWritesNothing() throws SQLException {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        String key = Api.unique("idem");
        Api.Response first = api().post(credits(ledger), ADMIN_KEY, GRANT, "Idempotency-Key", key);
        LedgerState before = state(ledger, first.position());

        Api.Response changed = api().post(credits(ledger), ADMIN_KEY, GRANT.replace("\"g1\"", "\"g2\""),
                "Idempotency-Key", key);
        Api.Response otherPath = api().post("/v1/accounts/" + ledger.accountId + "/payments", ADMIN_KEY,
                "{\"paymentId\":\"p1\",\"amount\":\"5\",\"method\":\"card\"}", "Idempotency-Key", key);

        assertConflict(changed, 409, "idempotency_conflict");
        assertConflict(otherPath, 409, "idempotency_conflict");
        assertThat(state(ledger, first.position())).isEqualTo(before);
        // Keys belong to the API key that used them: another caller's same key is a request of its own.
        String finance = api().post("/v1/api-keys", ADMIN_KEY, "{\"name\":\"f\",\"role\":\"finance\"}").body()
                .get("key").asText();
        Api.Response otherCaller = api().post(credits(ledger), finance, GRANT.replace("\"g1\"", "\"g3\""),
                "Idempotency-Key", key);
        assertThat(otherCaller.status()).as(otherCaller.raw().body()).isEqualTo(201);
        assertThat(otherCaller.header("Idempotent-Replayed")).isNull();
    }

    @Test
    void aReplayedClientErrorStaysTheSameClientError() throws SQLException {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        String key = Api.unique("idem");
        String voidPath = "/v1/accounts/" + ledger.accountId + "/credits/g1/void";
        Api.Response first = api().post(voidPath, ADMIN_KEY, "{\"reason\":\"mistake\"}", "Idempotency-Key", key);
        assertConflict(first, 404, "unknown_grant");

        // The grant exists now, yet the retry under the same key still answers the first 404.
        Api.Response grant = api().post(credits(ledger), ADMIN_KEY, GRANT);
        assertThat(grant.status()).isEqualTo(201);
        LedgerState before = state(ledger, grant.position());
        Api.Response replay = api().post(voidPath, ADMIN_KEY, "{\"reason\":\"mistake\"}", "Idempotency-Key", key);

        assertThat(replay.status()).isEqualTo(404);
        assertThat(replay.contentType()).startsWith("application/problem+json");
        assertThat(replay.raw().body()).isEqualTo(first.raw().body());
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(state(ledger, grant.position())).isEqualTo(before);
        assertThat(before.balance().get("creditBalance").asText()).isEqualTo("10.00");

        String badKey = Api.unique("idem");
        Api.Response missing = api().post(credits(ledger), ADMIN_KEY, "{\"grantId\":\"g9\",\"kind\":\"prepaid\"}",
                "Idempotency-Key", badKey);
        Api.Response missingAgain = api().post(credits(ledger), ADMIN_KEY, "{\"grantId\":\"g9\",\"kind\":\"prepaid\"}",
                "Idempotency-Key", badKey);
        assertConflict(missing, 400, "missing_field");
        assertConflict(missingAgain, 400, "missing_field");
        assertThat(missingAgain.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(state(ledger, grant.position())).isEqualTo(before);
    }

    @Test
    void aUsageEventSentAgainIsADuplicateAndWithOtherContentAConflict() throws SQLException {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        Instant when = LedgerScenario.recently();
        Api.Response first = ledger.usage("u1", "gpu_seconds", "1000", when);
        assertThat(first.body().get("results").get(0).get("status").asText()).isEqualTo("accepted");
        LedgerState before = state(ledger, first.position());

        Api.Response again = ledger.usage("u1", "gpu_seconds", "1000", when);
        Api.Response sameNumberOtherScale = ledger.usage("u1", "gpu_seconds", "1000.000", when);
        Api.Response otherQuantity = ledger.usage("u1", "gpu_seconds", "999", when);
        Api.Response otherMeter = ledger.usage("u1", "images", "1000", when);
        Api.Response otherTime = ledger.usage("u1", "gpu_seconds", "1000", when.minusSeconds(1));

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("results").get(0).get("status").asText()).isEqualTo("duplicate");
        assertThat(again.body().get("results").get(0).has("code")).isFalse();
        assertThat(sameNumberOtherScale.body().get("results").get(0).get("status").asText()).isEqualTo("duplicate");
        for (Api.Response conflict : new Api.Response[] {otherQuantity, otherMeter, otherTime}) {
            JsonNode result = conflict.body().get("results").get(0);
            assertThat(result.get("status").asText()).as(conflict.raw().body()).isEqualTo("rejected");
            assertThat(result.get("code").asText()).isEqualTo("idempotency_conflict");
        }
        assertThat(state(ledger, first.position())).isEqualTo(before);
        assertThat(before.balance().get("unbilled").asText()).isEqualTo("2.00");
    }

    @Test
    void creatingAnExistingGrantChargePaymentOrAccountAnswersAsTheFirstTimeUnlessItsContentDiffers()
            throws SQLException {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        String base = "/v1/accounts/" + ledger.accountId;
        String[][] creations = {
                {base + "/credits", GRANT, GRANT.replace("\"10\"", "\"11\"")},
                {base + "/charges", "{\"chargeId\":\"c1\",\"amount\":\"4\",\"description\":\"setup\"}",
                        "{\"chargeId\":\"c1\",\"amount\":\"4\",\"description\":\"other\"}"},
                {base + "/payments", "{\"paymentId\":\"p1\",\"amount\":\"30\",\"method\":\"wire\"}",
                        "{\"paymentId\":\"p1\",\"amount\":\"31\",\"method\":\"wire\"}"},
                {base + "/refunds", "{\"refundId\":\"r1\",\"paymentId\":\"p1\",\"amount\":\"5\"}",
                        "{\"refundId\":\"r1\",\"paymentId\":\"p1\",\"amount\":\"6\"}"},
        };
        for (String[] creation : creations) {
            Api.Response first = api().post(creation[0], ADMIN_KEY, creation[1]);
            assertThat(first.status()).as(creation[0] + ": " + first.raw().body()).isEqualTo(201);
            assertThat(first.body().get("status").asText()).isEqualTo("accepted");
            LedgerState before = state(ledger, first.position());

            Api.Response identical = api().post(creation[0], ADMIN_KEY, creation[1]);
            Api.Response different = api().post(creation[0], ADMIN_KEY, creation[2]);

            assertThat(identical.status()).as(creation[0] + ": " + identical.raw().body()).isEqualTo(201);
            assertThat(identical.body().get("status").asText()).isEqualTo("duplicate");
            assertThat(identical.body().get("id")).isEqualTo(first.body().get("id"));
            assertThat(identical.header("Ledger-Position")).isEqualTo(first.header("Ledger-Position"));
            assertThat(identical.header("Idempotent-Replayed")).isNull();
            assertConflict(different, 409, "already_exists");
            assertThat(state(ledger, first.position())).isEqualTo(before);
        }

        String open = """
                {"accountId":"%s","name":"Test Co","currency":"USD","planId":"%s","billingStart":"2026-01-01T00:00:00Z"}"""
                .formatted(ledger.accountId, ledger.planId);
        Api.Response first = api().get(base + "?minPosition=1", ADMIN_KEY);
        Api.Response identical = api().post("/v1/accounts", ADMIN_KEY, open);
        Api.Response different = api().post("/v1/accounts", ADMIN_KEY, open.replace("Test Co", "Other Co"));

        assertThat(identical.status()).as(identical.raw().body()).isEqualTo(201);
        assertThat(identical.body()).isEqualTo(first.body());
        assertConflict(different, 409, "already_exists");
        Api.Response account = api().get(base, ADMIN_KEY);
        assertThat(account.body().get("name").asText()).isEqualTo("Test Co");
    }

    private static String credits(LedgerScenario ledger) {
        return "/v1/accounts/" + ledger.accountId + "/credits";
    }

    private LedgerState state(LedgerScenario ledger, long position) throws SQLException {
        Api.Response balance = ledger.balance(position);
        assertThat(balance.status()).isEqualTo(200);
        Api.Response journal = api().get("/v1/accounts/" + ledger.accountId + "/journal?limit=1000&minPosition="
                + position, ADMIN_KEY);
        assertThat(journal.status()).isEqualTo(200);
        return new LedgerState(StoredEvents.of(ledger.accountId), balance.body(), journal.body().get("items").size());
    }


    private static void assertConflict(Api.Response response, int status, String code) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.code()).isEqualTo(code);
    }
}
