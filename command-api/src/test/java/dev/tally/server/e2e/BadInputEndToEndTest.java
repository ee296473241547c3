package dev.tally.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.ServerTest;
import dev.tally.server.testing.StoredEvents;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.StringJoiner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

// Goal: every kind of bad input is a 4xx problem+json with its stable code, and changes nothing in the ledger.
class BadInputEndToEndTest extends ServerTest {

    /** What a refused request must leave unchanged: the account's events, its balance and its journal. */
    private record LedgerState(int events, JsonNode balance, int journalItems) {
    }

    private LedgerScenario ledger;
    private String base;
    private long position;
    private LedgerState before;

    /** An account with a grant, some usage and a payment, so that every figure has something to lose. */
    @BeforeEach
    void openAnAccountWithHistory() throws SQLException {
        ledger = LedgerScenario.open(api(), ADMIN_KEY);
        base = "/v1/accounts/" + ledger.accountId;
        expectCreated(api().post(base + "/credits", ADMIN_KEY,
                "{\"grantId\":\"g1\",\"amount\":\"3\",\"kind\":\"prepaid\",\"effectiveAt\":\"2026-01-01T00:00:00Z\"}"));
        Api.Response usage = ledger.usage("u1", "gpu_seconds", "2000", LedgerScenario.recently());
        assertThat(usage.body().get("results").get(0).get("status").asText()).isEqualTo("accepted");
        Api.Response payment = expectCreated(api().post(base + "/payments", ADMIN_KEY,
                "{\"paymentId\":\"p1\",\"amount\":\"10\",\"method\":\"card\"}"));
        position = payment.position();
        before = state();
        // 2000 × 0.002 = 4.00: 3.00 from the grant, 1.00 uncovered; 10 paid and not yet applied.
        assertThat(before.balance().get("unbilled").asText()).isEqualTo("1.00");
        assertThat(before.balance().get("unappliedCash").asText()).isEqualTo("10.00");
    }

    @Test
    void malformedJsonIsA400AndChangesNothing() throws SQLException {
        refused(api().post(base + "/credits", ADMIN_KEY, "{\"grantId\": "), 400, "malformed_request");
        refused(api().post(base + "/payments", ADMIN_KEY, "not json at all"), 400, "malformed_request");
        refused(api().post(base + "/charges", ADMIN_KEY, "[1, 2]"), 400, "malformed_request");
        refused(api().post(base + "/charges", ADMIN_KEY, "{\"chargeId\":\"c1\",\"amount\":{\"value\":1}}"), 400,
                "malformed_request");
        refused(api().post(base + "/credits", ADMIN_KEY,
                "{\"grantId\":\"g2\",\"amount\":\"1\",\"kind\":\"prepaid\",\"priority\":\"first\"}"), 400,
                "malformed_request");
        refused(api().post("/v1/usage", ADMIN_KEY, "{\"events\": "), 400, "malformed_request");
        refused(api().post("/v1/usage", ADMIN_KEY, "{\"events\": 5}"), 400, "malformed_request");
        refused(api().post("/v1/usage", ADMIN_KEY, "{}"), 400, "malformed_request");
        refused(api().post("/v1/accounts", ADMIN_KEY, "{\"accountId\": \"x\",}"), 400, "malformed_request");
        refused(api().post("/v1/plans", ADMIN_KEY, ""), 400, "malformed_request");
        assertUnchanged();
    }

    @Test
    void missingFieldsAreA400AndChangeNothing() throws SQLException {
        refused(api().post(base + "/credits", ADMIN_KEY, "{\"grantId\":\"g2\",\"kind\":\"prepaid\"}"), 400,
                "missing_field");
        refused(api().post(base + "/credits", ADMIN_KEY, "{\"amount\":\"1\",\"kind\":\"prepaid\"}"), 400,
                "missing_field");
        refused(api().post(base + "/credits", ADMIN_KEY, "{\"grantId\":\"g2\",\"amount\":\"1\"}"), 400,
                "missing_field");
        refused(api().post(base + "/charges", ADMIN_KEY, "{\"chargeId\":\"c1\",\"amount\":\"1\"}"), 400,
                "missing_field");
        refused(api().post(base + "/payments", ADMIN_KEY, "{\"paymentId\":\"p2\",\"amount\":\"1\"}"), 400,
                "missing_field");
        refused(api().post(base + "/payments", ADMIN_KEY, "{}"), 400, "missing_field");
        refused(api().post(base + "/refunds", ADMIN_KEY, "{\"refundId\":\"r1\",\"amount\":\"1\"}"), 400,
                "missing_field");
        String accountId = Api.unique("acct");
        refused(api().post("/v1/accounts", ADMIN_KEY,
                "{\"accountId\":\"" + accountId + "\",\"name\":\"X\",\"planId\":\"" + ledger.planId + "\"}"), 400,
                "missing_field");
        String planId = Api.unique("plan");
        refused(api().post("/v1/plans", ADMIN_KEY, "{\"planId\":\"" + planId + "\",\"currency\":\"USD\"}"), 400,
                "missing_field");
        refused(api().post("/v1/plans", ADMIN_KEY,
                "{\"currency\":\"USD\",\"prices\":[{\"meter\":\"m\",\"model\":\"per_unit\",\"unitPrice\":\"1\"}]}"),
                400, "missing_field");
        assertUnchanged();
        assertThat(StoredEvents.of(accountId)).isZero();
        assertThat(StoredEvents.of(planId)).isZero();
    }

    @Test
    void badDecimalsAndTimestampsAreA422AndChangeNothing() throws SQLException {
        for (String amount : new String[] {"12,50", "1e3", "abc", "", "1.2.3", "0x10", "1.0000000000000000001",
                "1000000000000000000000"}) {
            refused(api().post(base + "/payments", ADMIN_KEY,
                    "{\"paymentId\":\"p2\",\"amount\":\"" + amount + "\",\"method\":\"card\"}"), 422, "invalid_field");
        }
        refused(api().post(base + "/credits", ADMIN_KEY, "{\"grantId\":\"g2\",\"amount\":\"ten\",\"kind\":\"prepaid\"}"),
                422, "invalid_field");
        refused(api().post(base + "/credits", ADMIN_KEY, "{\"grantId\":\"g2\",\"amount\":\"1\",\"kind\":\"gift\"}"),
                422, "invalid_field");
        refused(api().post(base + "/credits", ADMIN_KEY,
                "{\"grantId\":\"g2\",\"amount\":\"1\",\"kind\":\"prepaid\",\"expiresAt\":\"next week\"}"), 422,
                "invalid_field");
        refused(api().post(base + "/charges", ADMIN_KEY,
                "{\"chargeId\":\"c1\",\"amount\":\"1\",\"description\":\"fee\",\"timestamp\":\"2026-13-01\"}"), 422,
                "invalid_field");
        refused(api().post(base + "/charges", ADMIN_KEY,
                "{\"chargeId\":\"bad id!\",\"amount\":\"1\",\"description\":\"fee\"}"), 422, "invalid_field");
        refused(api().post(base + "/payments", ADMIN_KEY, "{\"paymentId\":\"p2\",\"amount\":\"0\",\"method\":\"card\"}"),
                422, "invalid_amount");
        refused(api().post(base + "/credits", ADMIN_KEY, "{\"grantId\":\"g2\",\"amount\":\"-5\",\"kind\":\"prepaid\"}"),
                422, "invalid_amount");
        assertUnchanged();
    }

    @Test
    void unknownOrMismatchedCurrenciesAreA422AndChangeNothing() throws SQLException {
        String planId = Api.unique("plan");
        refused(api().post("/v1/plans", ADMIN_KEY, """
                {"planId":"%s","currency":"XYZ","prices":[{"meter":"m","model":"per_unit","unitPrice":"1"}]}"""
                .formatted(planId)), 422, "unsupported_currency");
        String accountId = Api.unique("acct");
        refused(api().post("/v1/accounts", ADMIN_KEY, """
                {"accountId":"%s","name":"X","currency":"ABC","planId":"%s"}""".formatted(accountId, ledger.planId)),
                422, "unsupported_currency");
        refused(api().post("/v1/accounts", ADMIN_KEY, """
                {"accountId":"%s","name":"X","currency":"EUR","planId":"%s"}""".formatted(accountId, ledger.planId)),
                422, "currency_mismatch");
        refused(api().post(base + "/credits", ADMIN_KEY,
                "{\"grantId\":\"g2\",\"amount\":\"1\",\"currency\":\"EUR\",\"kind\":\"prepaid\"}"), 422,
                "currency_mismatch");
        refused(api().post(base + "/payments", ADMIN_KEY,
                "{\"paymentId\":\"p2\",\"amount\":\"1\",\"currency\":\"XYZ\",\"method\":\"card\"}"), 422,
                "currency_mismatch");
        refused(api().post(base + "/charges", ADMIN_KEY,
                "{\"chargeId\":\"c1\",\"amount\":\"1\",\"currency\":\"JPY\",\"description\":\"fee\"}"), 422,
                "currency_mismatch");
        assertUnchanged();
        assertThat(StoredEvents.of(planId)).isZero();
        assertThat(StoredEvents.of(accountId)).isZero();
    }

    @Test
    void unknownAccountsPlansGrantsAndPaymentsAreRefusedAndChangeNothing() throws SQLException {
        String nobody = Api.unique("nobody");
        refused(api().post("/v1/accounts/" + nobody + "/credits", ADMIN_KEY,
                "{\"grantId\":\"g1\",\"amount\":\"1\",\"kind\":\"prepaid\"}"), 404, "unknown_account");
        refused(api().post("/v1/accounts/" + nobody + "/payments", ADMIN_KEY,
                "{\"paymentId\":\"p1\",\"amount\":\"1\",\"method\":\"card\"}"), 404, "unknown_account");
        refused(api().post("/v1/accounts/" + nobody + "/charges", ADMIN_KEY,
                "{\"chargeId\":\"c1\",\"amount\":\"1\",\"description\":\"fee\"}"), 404, "unknown_account");
        refused(api().post("/v1/accounts/" + nobody + "/credits/g1/void", ADMIN_KEY, "{}"), 404, "unknown_account");
        refused(api().get("/v1/accounts/" + nobody + "/balance", ADMIN_KEY), 404, "unknown_account");
        refused(api().get("/v1/accounts/" + nobody, ADMIN_KEY), 404, "unknown_account");
        refused(api().get("/v1/accounts/" + nobody + "/journal", ADMIN_KEY), 404, "unknown_account");
        refused(api().get("/v1/accounts/" + nobody + "/usage", ADMIN_KEY), 404, "unknown_account");
        refused(api().get("/v1/plans/" + Api.unique("plan"), ADMIN_KEY), 404, "not_found");

        String accountId = Api.unique("acct");
        refused(api().post("/v1/accounts", ADMIN_KEY, """
                {"accountId":"%s","name":"X","currency":"USD","planId":"%s"}""".formatted(accountId,
                Api.unique("no-such-plan"))), 422, "unknown_plan");
        refused(api().get("/v1/accounts/" + accountId, ADMIN_KEY), 404, "unknown_account");

        refused(api().post(base + "/credits/no-such-grant/void", ADMIN_KEY, "{\"reason\":\"x\"}"), 404,
                "unknown_grant");
        refused(api().post(base + "/refunds", ADMIN_KEY,
                "{\"refundId\":\"r1\",\"paymentId\":\"no-such-payment\",\"amount\":\"1\"}"), 404, "unknown_payment");
        refused(api().post(base + "/refunds", ADMIN_KEY,
                "{\"refundId\":\"r1\",\"paymentId\":\"p1\",\"amount\":\"10.01\"}"), 422, "refund_exceeds_payment");
        assertUnchanged();
        assertThat(StoredEvents.of(nobody)).isZero();
        assertThat(StoredEvents.of(accountId)).isZero();
    }

    @Test
    void invalidPricesAreA422AndPublishNothing() throws SQLException {
        String[] prices = {
                "{\"meter\":\"m\",\"model\":\"bogus\",\"unitPrice\":\"1\"}",
                "{\"meter\":\"m\",\"model\":\"per_unit\"}",
                "{\"meter\":\"m\",\"model\":\"per_unit\",\"unitPrice\":\"-1\"}",
                "{\"meter\":\"m\",\"model\":\"graduated\",\"tiers\":[{\"upTo\":\"100\",\"unitPrice\":\"1\"},"
                        + "{\"upTo\":\"50\",\"unitPrice\":\"0.5\"},{\"upTo\":null,\"unitPrice\":\"0.1\"}]}",
                "{\"meter\":\"m\",\"model\":\"volume\",\"tiers\":[{\"upTo\":\"100\",\"unitPrice\":\"1\"}]}",
                "{\"meter\":\"m\",\"model\":\"graduated\"}",
                "{\"meter\":\"m\",\"model\":\"package\",\"packageSize\":\"0\",\"packagePrice\":\"5\"}",
                "{\"meter\":\"m\",\"model\":\"package\",\"packageSize\":\"10\"}",
                "{\"meter\":\"m\",\"model\":\"per_unit\",\"unitPrice\":\"1\"},{\"meter\":\"m\",\"model\":\"per_unit\","
                        + "\"unitPrice\":\"2\"}",
        };
        String planId = Api.unique("plan");
        for (String price : prices) {
            refused(api().post("/v1/plans", ADMIN_KEY, """
                    {"planId":"%s","currency":"USD","prices":[%s]}""".formatted(planId, price)), 422, "invalid_price");
        }
        refused(api().get("/v1/plans/" + planId, ADMIN_KEY), 404, "not_found");
        assertThat(StoredEvents.of(planId)).isZero();
        assertUnchanged();
    }

    @Test
    void usageBatchesOfNoneOrTooManyEventsAreRefusedWhole() throws SQLException {
        refused(api().post("/v1/usage", ADMIN_KEY, "{\"events\":[]}"), 422, "batch_too_large");
        StringJoiner events = new StringJoiner(",", "{\"events\":[", "]}");
        Instant when = LedgerScenario.recently();
        for (int i = 0; i < 1001; i++) {
            events.add("{\"idempotencyKey\":\"big-%d\",\"accountId\":\"%s\",\"meter\":\"gpu_seconds\",\"quantity\":\"1\","
                    .formatted(i, ledger.accountId) + "\"timestamp\":\"" + when + "\"}");
        }
        refused(api().post("/v1/usage", ADMIN_KEY, events.toString()), 422, "batch_too_large");
        assertUnchanged();
    }

    @Test
    void aBodyOverOneMebibyteIsA413() throws SQLException {
        String padding = "x".repeat(1024 * 1024);
        refused(api().post("/v1/usage", ADMIN_KEY, "{\"events\":[],\"padding\":\"" + padding + "\"}"), 413,
                "payload_too_large");
        refused(api().post(base + "/credits", ADMIN_KEY, "{\"grantId\":\"g2\",\"amount\":\"1\",\"kind\":\"prepaid\","
                + "\"description\":\"" + padding + "\"}", "Idempotency-Key", Api.unique("idem")), 413,
                "payload_too_large");
        // The server still answers normally afterwards, on a fresh connection or a reused one.
        assertThat(api().get(base + "/balance", ADMIN_KEY).status()).isEqualTo(200);
        assertUnchanged();
    }

    @Test
    void badPagingAndPositionParametersAreRefused() throws SQLException {
        refused(api().get(base + "/journal?limit=0", ADMIN_KEY), 422, "invalid_field");
        refused(api().get(base + "/journal?limit=1001", ADMIN_KEY), 422, "invalid_field");
        refused(api().get(base + "/journal?limit=-1", ADMIN_KEY), 422, "invalid_field");
        refused(api().get(base + "/journal?limit=ten", ADMIN_KEY), 400, "malformed_request");
        refused(api().get(base + "/usage?limit=1001", ADMIN_KEY), 422, "invalid_field");
        refused(api().get(base + "/journal?cursor=!!not-a-cursor!!", ADMIN_KEY), 400, "malformed_request");
        refused(api().get(base + "/journal?cursor=" + encode("garbage"), ADMIN_KEY), 400, "malformed_request");
        refused(api().get(base + "/journal?cursor=" + encode("12:x"), ADMIN_KEY), 400, "malformed_request");
        refused(api().get(base + "/usage?cursor=" + encode("no-separator"), ADMIN_KEY), 400, "malformed_request");
        refused(api().get(base + "/usage?from=yesterday", ADMIN_KEY), 400, "malformed_request");
        refused(api().get(base + "/balance?minPosition=soon", ADMIN_KEY), 400, "malformed_request");
        refused(api().get(base + "/balance?asOf=yesterday", ADMIN_KEY), 422, "invalid_field");
        Api.Response firstPage = api().get(base + "/journal?limit=1&minPosition=" + position, ADMIN_KEY);
        assertThat(firstPage.status()).isEqualTo(200);
        assertThat(firstPage.body().get("items")).hasSize(1);
        String cursor = firstPage.body().get("nextCursor").asText();
        Api.Response secondPage = api().get(base + "/journal?limit=1000&cursor=" + cursor, ADMIN_KEY);
        assertThat(secondPage.body().get("items")).hasSize(before.journalItems() - 1);
        assertThat(secondPage.body().get("nextCursor").isNull()).isTrue();
        assertUnchanged();
    }

    @Test
    void badHeadersAreRefused() throws SQLException {
        refused(api().post(base + "/credits", ADMIN_KEY, "{\"grantId\":\"g2\",\"amount\":\"1\",\"kind\":\"prepaid\"}",
                "Idempotency-Key", "k".repeat(256)), 422, "invalid_idempotency_key");
        assertUnchanged();
    }

    @Test
    void eachBadUsageEventIsRejectedWithItsOwnCodeWhileTheBatchAnswers200() throws SQLException {
        // The server judges "in the future" and "too old" by its own clock.
        Instant now = clock().instant().truncatedTo(ChronoUnit.SECONDS);
        Instant recently = LedgerScenario.recently();
        LedgerScenario lateStarter = LedgerScenario.open(api(), ADMIN_KEY);
        String lateAccount = Api.unique("acct");
        expectCreated(api().post("/v1/accounts", ADMIN_KEY, """
                {"accountId":"%s","name":"Late","currency":"USD","planId":"%s","billingStart":"%s"}"""
                .formatted(lateAccount, lateStarter.planId, now.minus(1, ChronoUnit.DAYS))));
        int lateEvents = StoredEvents.of(lateAccount);
        String acct = ledger.accountId;
        String nobody = Api.unique("nobody");
        String[][] cases = {
                {"future", event("future", acct, "gpu_seconds", "\"1\"", now.plus(1, ChronoUnit.HOURS)), "timestamp_in_future"},
                {"old", event("old", acct, "gpu_seconds", "\"1\"", now.minus(200, ChronoUnit.DAYS)), "timestamp_too_old"},
                {"early", event("early", lateAccount, "gpu_seconds", "\"1\"", now.minus(2, ChronoUnit.DAYS)),
                        "timestamp_before_billing_start"},
                {"meter", event("meter", acct, "tokens", "\"1\"", recently), "unknown_meter"},
                {"negative", event("negative", acct, "gpu_seconds", "\"-1\"", recently), "negative_quantity"},
                {"nan", event("nan", acct, "gpu_seconds", "\"lots\"", recently), "invalid_quantity"},
                {"boolean", event("boolean", acct, "gpu_seconds", "true", recently), "invalid_quantity"},
                {"digits", event("digits", acct, "gpu_seconds", "\"1.0000000000000000001\"", recently),
                        "invalid_quantity"},
                {"when", "{\"idempotencyKey\":\"when\",\"accountId\":\"" + acct
                        + "\",\"meter\":\"gpu_seconds\",\"quantity\":\"1\",\"timestamp\":\"yesterday\"}", "invalid_timestamp"},
                {"nested", "{\"idempotencyKey\":\"nested\",\"accountId\":\"" + acct + "\",\"meter\":\"gpu_seconds\","
                        + "\"quantity\":\"1\",\"timestamp\":\"" + recently + "\",\"properties\":{\"model\":{\"a\":1}}}",
                        "invalid_properties"},
                {"list", "{\"idempotencyKey\":\"list\",\"accountId\":\"" + acct + "\",\"meter\":\"gpu_seconds\","
                        + "\"quantity\":\"1\",\"timestamp\":\"" + recently + "\",\"properties\":[1]}", "invalid_properties"},
                {"huge", "{\"idempotencyKey\":\"huge\",\"accountId\":\"" + acct + "\",\"meter\":\"gpu_seconds\","
                        + "\"quantity\":\"1\",\"timestamp\":\"" + recently + "\",\"properties\":{\"p\":\""
                        + "x".repeat(5000) + "\"}}", "invalid_properties"},
                {"no-meter", "{\"idempotencyKey\":\"no-meter\",\"accountId\":\"" + acct
                        + "\",\"quantity\":\"1\",\"timestamp\":\"" + recently + "\"}", "missing_field"},
                {"no-quantity", "{\"idempotencyKey\":\"no-quantity\",\"accountId\":\"" + acct
                        + "\",\"meter\":\"gpu_seconds\",\"timestamp\":\"" + recently + "\"}", "missing_field"},
                {"no-time", "{\"idempotencyKey\":\"no-time\",\"accountId\":\"" + acct
                        + "\",\"meter\":\"gpu_seconds\",\"quantity\":\"1\"}", "missing_field"},
                {"no-account", "{\"idempotencyKey\":\"no-account\",\"meter\":\"gpu_seconds\",\"quantity\":\"1\","
                        + "\"timestamp\":\"" + recently + "\"}", "missing_field"},
                {"stranger", event("stranger", nobody, "gpu_seconds", "\"1\"", recently), "unknown_account"},
                {"long-key", event("k".repeat(256), acct, "gpu_seconds", "\"1\"", recently), "invalid_idempotency_key"},
        };
        StringJoiner batch = new StringJoiner(",", "{\"events\":[", "]}");
        for (String[] bad : cases) {
            batch.add(bad[1]);
        }
        batch.add("{\"accountId\":\"" + acct + "\",\"meter\":\"gpu_seconds\",\"quantity\":\"1\",\"timestamp\":\""
                + recently + "\"}");
        batch.add("\"not an object\"");

        Api.Response answer = api().post("/v1/usage", ADMIN_KEY, batch.toString());

        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
        JsonNode results = answer.body().get("results");
        assertThat(results).hasSize(cases.length + 2);
        for (int i = 0; i < cases.length; i++) {
            JsonNode result = results.get(i);
            assertThat(result.get("status").asText()).as(cases[i][0]).isEqualTo("rejected");
            assertThat(result.get("code").asText()).as(cases[i][0] + ": " + result).isEqualTo(cases[i][2]);
            assertThat(result.get("detail").asText()).as(cases[i][0]).isNotBlank();
        }
        assertThat(results.get(cases.length).get("code").asText()).isEqualTo("missing_field");
        assertThat(results.get(cases.length + 1).get("code").asText()).isEqualTo("malformed_request");
        assertUnchanged();
        assertThat(StoredEvents.of(lateAccount)).isEqualTo(lateEvents);
        assertThat(StoredEvents.of(nobody)).isZero();

        // A rejected event did not use up its idempotency key: sent correctly, it is accepted.
        Api.Response corrected = ledger.usage("meter", "gpu_seconds", "1", recently);
        assertThat(corrected.body().get("results").get(0).get("status").asText()).isEqualTo("accepted");
    }

    private static String event(String key, String accountId, String meter, String quantityJson, Instant timestamp) {
        return "{\"idempotencyKey\":\"" + key + "\",\"accountId\":\"" + accountId + "\",\"meter\":\"" + meter
                + "\",\"quantity\":" + quantityJson + ",\"timestamp\":\"" + timestamp + "\"}";
    }

    private static String encode(String cursor) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(cursor.getBytes(StandardCharsets.UTF_8));
    }

    private static Api.Response expectCreated(Api.Response response) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        return response;
    }

    private static void refused(Api.Response response, int status, String code) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(status).isBetween(400, 499);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.code()).as(response.raw().body()).isEqualTo(code);
        assertThat(response.body().get("status").asInt()).isEqualTo(status);
    }

    private void assertUnchanged() throws SQLException {
        assertThat(state()).isEqualTo(before);
    }

    private LedgerState state() throws SQLException {
        Api.Response balance = ledger.balance(position);
        assertThat(balance.status()).isEqualTo(200);
        Api.Response journal = api().get(base + "/journal?limit=1000&minPosition=" + position, ADMIN_KEY);
        assertThat(journal.status()).isEqualTo(200);
        return new LedgerState(StoredEvents.of(ledger.accountId), balance.body(), journal.body().get("items").size());
    }

}
