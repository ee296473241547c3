package dev.tally.server.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.testing.Api;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.ServerTest;
import dev.tally.server.testing.StoredEvents;
import dev.tally.server.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

// Goal: each way in which a client broke the ledger's edges (issue 16's list) is now refused with its code and writes nothing.
class StrictBoundaryEndToEndTest extends ServerTest {

    private LedgerScenario ledger;
    private String base;

    @BeforeEach
    void openAnAccount() {
        ledger = LedgerScenario.open(api(), ADMIN_KEY);
        base = "/v1/accounts/" + ledger.accountId;
    }

    @Test
    void aNulOrControlCharacterInAnyStoredTextIsRefusedAsInvalidText() throws SQLException {
        String accountId = Api.unique("nul");
        int keysBefore = apiKeys();
        refused(post("/v1/accounts", """
                {"accountId":"%s","name":"a\\u0000b","currency":"USD","planId":"%s"}""".formatted(accountId, ledger.planId)),
                422, "invalid_text", "name");
        refused(post(base + "/charges", "{\"chargeId\":\"c1\",\"amount\":\"1\",\"description\":\"a\\u0000b\"}"),
                422, "invalid_text", "description");
        refused(post(base + "/credits",
                "{\"grantId\":\"g1\",\"amount\":\"1\",\"kind\":\"prepaid\",\"description\":\"x\\u001bx\"}"),
                422, "invalid_text", "description");
        refused(post(base + "/credits/g0/void", "{\"reason\":\"a\\u0000\"}"), 422, "invalid_text", "reason");
        refused(post(base + "/payments", "{\"paymentId\":\"p1\",\"amount\":\"1\",\"method\":\"ca\\u0000rd\"}"),
                422, "invalid_text", "method");
        refused(post(base + "/payments", "{\"paymentId\":\"p1\",\"amount\":\"1\",\"method\":\"card\\ud800\"}"),
                422, "invalid_text", "unpaired surrogate");
        refused(post("/v1/api-keys", "{\"name\":\"a\\u0000\",\"role\":\"admin\"}"), 422, "invalid_text", "name");
        assertThat(StoredEvents.of(accountId)).isZero();
        assertThat(StoredEvents.of(ledger.accountId)).isEqualTo(1);
        assertThat(apiKeys()).isEqualTo(keysBefore);
        Api.Response usage = post("/v1/usage", """
                {"events":[{"idempotencyKey":"k\\u0000","accountId":"%s","meter":"gpu_seconds","quantity":"1",
                "timestamp":"%s"},{"idempotencyKey":"k2","accountId":"%s","meter":"gpu_seconds","quantity":"1",
                "timestamp":"%s","properties":{"region":"eu\\u0000"}}]}""".formatted(ledger.accountId,
                LedgerScenario.recently(), ledger.accountId, LedgerScenario.recently()));
        assertThat(usage.status()).isEqualTo(200);
        assertThat(usage.body().get("results").get(0).get("code").asText()).isEqualTo("invalid_text");
        assertThat(usage.body().get("results").get(1).get("code").asText()).isEqualTo("invalid_text");
        assertThat(StoredEvents.of(ledger.accountId)).isEqualTo(1);
    }

    @Test
    void aMemberNamedTwiceAtAnyDepthIsADuplicateMember() throws SQLException {
        Api.Response usage = post("/v1/usage", """
                {"events":[{"idempotencyKey":"k1","accountId":"%s","meter":"gpu_seconds","quantity":"1","quantity":"1000",
                "timestamp":"%s"}]}""".formatted(ledger.accountId, LedgerScenario.recently()));
        refused(usage, 400, "duplicate_member", "quantity");
        refused(post(base + "/charges", "{\"chargeId\":\"c1\",\"amount\":\"1\",\"amount\":\"900\",\"description\":\"fee\"}"),
                400, "duplicate_member", "amount");
        refused(post("/v1/plans", """
                {"planId":"%s","currency":"USD","prices":[{"meter":"m","model":"per_unit","unitPrice":"1","unitPrice":"2"}]}
                """.formatted(Api.unique("plan"))), 400, "duplicate_member", "unitPrice");
        assertThat(StoredEvents.of(ledger.accountId)).isEqualTo(1);
    }

    @Test
    void aMemberTheEndpointDoesNotDefineIsAnUnknownMemberNamingIt() throws SQLException {
        String planId = Api.unique("plan");
        refused(post("/v1/plans", """
                {"planId":"%s","currency":"USD","billingPeriod":"yearly","prices":[{"meter":"m","model":"per_unit","unitPrice":"1"}]}
                """.formatted(planId)), 400, "unknown_member", "billingPeriod");
        refused(post(base + "/payments", "{\"paymentId\":\"p1\",\"amount\":\"1\",\"method\":\"card\",\"invoiceId\":\"i1\"}"),
                400, "unknown_member", "invoiceId");
        refused(post("/v1/plans", """
                {"planId":"%s","currency":"USD","prices":[{"meter":"m","model":"per_unit","unitPrice":"1","filters":{}}]}
                """.formatted(planId)), 400, "unknown_member", "filters");
        refused(post("/v1/usage", "{\"events\":[],\"dryRun\":true}"), 400, "unknown_member", "dryRun");
        Api.Response usage = post("/v1/usage", """
                {"events":[{"idempotencyKey":"k1","accountId":"%s","meter":"gpu_seconds","quantity":"1","timestamp":"%s",
                "model":"flux-pro"},{"idempotencyKey":"k2","accountId":"%s","meter":"gpu_seconds","quantity":"1","timestamp":"%s"}]}
                """.formatted(ledger.accountId, LedgerScenario.recently(), ledger.accountId, LedgerScenario.recently()));
        assertThat(usage.status()).isEqualTo(200);
        assertThat(usage.body().get("results").get(0).get("status").asText()).isEqualTo("rejected");
        assertThat(usage.body().get("results").get(0).get("code").asText()).isEqualTo("unknown_member");
        assertThat(usage.body().get("results").get(0).get("detail").asText()).contains("\"model\"");
        assertThat(usage.body().get("results").get(1).get("status").asText()).isEqualTo("accepted");
        assertThat(StoredEvents.of(planId)).isZero();
    }

    @Test
    void absurdNumbersAndInstantsAreRefusedNamingTheLimit() throws SQLException {
        Api.Response usage = post("/v1/usage", """
                {"events":[{"idempotencyKey":"k1","accountId":"%s","meter":"gpu_seconds",
                "quantity":"123456789012345678.123456789012345678","timestamp":"%s"}]}"""
                .formatted(ledger.accountId, LedgerScenario.recently()));
        assertThat(usage.body().get("results").get(0).get("code").asText()).isEqualTo("invalid_quantity");
        assertThat(usage.body().get("results").get(0).get("detail").asText()).contains("12 digits before the point");
        refused(post("/v1/accounts", """
                {"accountId":"%s","currency":"USD","planId":"%s","billingStart":"0001-01-01T00:00:00Z"}"""
                .formatted(Api.unique("old"), ledger.planId)), 422, "invalid_timestamp", "years 2000 to 2999");
        refused(post("/v1/accounts", """
                {"accountId":"%s","currency":"USD","planId":"%s","billingStart":"-999999999-01-01T00:00:00Z"}"""
                .formatted(Api.unique("old"), ledger.planId)), 422, "invalid_timestamp", "billingStart");
        refused(post(base + "/credits", """
                {"grantId":"g1","amount":"1","kind":"prepaid","expiresAt":"+999999999-12-31T23:59:59Z"}"""),
                422, "invalid_timestamp", "expiresAt");
        refused(post(base + "/invoices", "{\"periodStart\":\"+999999999-12-31T23:59:59Z\"}"), 422, "invalid_timestamp",
                "periodStart");
        refused(post(base + "/payments", "{\"paymentId\":\"p1\",\"amount\":\"10.555\",\"method\":\"card\"}"),
                422, "invalid_amount", "at most 2 digits after the point");
        refused(post(base + "/charges", "{\"chargeId\":\"c1\",\"amount\":\"1000000000000\",\"description\":\"x\"}"),
                422, "invalid_amount", "12 digits before the point");
        assertThat(StoredEvents.of(ledger.accountId)).isEqualTo(1);
    }

    @Test
    void aYenAmountWithAFractionIsAnInvalidAmount() {
        String planId = Api.unique("plan");
        assertThat(post("/v1/plans", """
                {"planId":"%s","currency":"JPY","prices":[{"meter":"m","model":"per_unit","unitPrice":"0.5"}]}"""
                .formatted(planId)).status()).isEqualTo(201);
        String accountId = Api.unique("yen");
        assertThat(post("/v1/accounts", """
                {"accountId":"%s","currency":"JPY","planId":"%s"}""".formatted(accountId, planId)).status()).isEqualTo(201);
        refused(post("/v1/accounts/" + accountId + "/payments", "{\"paymentId\":\"p1\",\"amount\":\"10.5\",\"method\":\"card\"}"),
                422, "invalid_amount", "whole number");
        assertThat(post("/v1/accounts/" + accountId + "/payments",
                "{\"paymentId\":\"p1\",\"amount\":\"10\",\"method\":\"card\"}").status()).isEqualTo(201);
    }

    @Test
    void queryParametersAndCursorsHoldingANulAreRefusedNotFailed() {
        refused(api().get(base + "/usage?meter=a%00b", ADMIN_KEY), 422, "invalid_text", "meter");
        String nulCursor = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("a\u0000|2026-01-01".getBytes(StandardCharsets.UTF_8));
        refused(api().get(base + "/usage?cursor=" + nulCursor, ADMIN_KEY), 400, "malformed_request", "cursor");
        refused(api().get(base + "/journal?cursor=" + nulCursor, ADMIN_KEY), 400, "malformed_request", "cursor");
        refused(api().get(base + "/invoices?cursor=" + nulCursor, ADMIN_KEY), 400, "malformed_request", "cursor");
        refused(api().get(base + "/usage?from=%ff", ADMIN_KEY), 400, "malformed_request", "UTF-8");
    }

    @Test
    void everyLayerAnswersProblemJsonWithTheRightStatus() {
        Api.Response wildcard = api().raw("POST", base + "/charges", ADMIN_KEY, "*/*",
                "{\"chargeId\":\"c1\",\"amount\":\"1\",\"description\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        refused(wildcard, 415, "unsupported_media_type", "application/json");
        refused(api().raw("POST", base + "/charges", ADMIN_KEY, "text/plain", "{}".getBytes(StandardCharsets.UTF_8)),
                415, "unsupported_media_type", "application/json");
        refused(api().raw("POST", base + "/charges", ADMIN_KEY, "*/*", "{}".getBytes(StandardCharsets.UTF_8),
                "Idempotency-Key", Api.unique("idem")), 415, "unsupported_media_type", "application/json");
        Api.Response method = api().raw("DELETE", "/v1/accounts", ADMIN_KEY, null, null);
        refused(method, 405, "method_not_allowed", "DELETE");
        assertThat(method.header("Allow")).isEqualTo("POST");
        assertThat(method.body().get("title").asText()).isEqualTo("method not allowed");
        refused(api().get("/v1/no-such-thing", ADMIN_KEY), 404, "not_found", "endpoint");
        refused(api().get("/v1/accounts/a%2Fb", ADMIN_KEY), 400, "malformed_request", "path");
        refused(api().get("/v1/accounts/a%00b", ADMIN_KEY), 400, "malformed_request", "path");
        refused(api().get("/v1/accounts/a%01b", ADMIN_KEY), 422, "invalid_text", "path");
    }

    private Api.Response post(String path, String json) {
        return api().post(path, ADMIN_KEY, json);
    }

    private static void refused(Api.Response response, int status, String code, String detailPart) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.code()).as(response.raw().body()).isEqualTo(code);
        assertThat(response.body().get("status").asInt()).isEqualTo(status);
        assertThat(response.body().get("detail").asText()).contains(detailPart);
    }


    private static int apiKeys() throws SQLException {
        try (Connection connection = TestDatabase.get().ownerConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM api.api_key")) {
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
