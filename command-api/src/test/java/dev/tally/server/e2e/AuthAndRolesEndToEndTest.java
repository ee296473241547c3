package dev.tally.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.testing.Api;
import dev.tally.server.testing.Hashes;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.ServerTest;
import dev.tally.server.testing.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

// Goal: every request is authenticated by its bearer key and allowed only what the key's role and accounts permit.
class AuthAndRolesEndToEndTest extends ServerTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    @Test
    void aRequestWithoutAKeyIsUnauthorized() {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);

        assertRefused(api().get("/v1/accounts/" + ledger.accountId + "/balance", null), 401, "unauthorized");
        assertRefused(api().post("/v1/usage", null, usageBatch(ledger.accountId, "no-key")), 401, "unauthorized");
        assertRefused(api().get("/v1/accounts/" + ledger.accountId + "/balance", null,
                "Authorization", "Basic " + ADMIN_KEY), 401, "unauthorized");
        assertRefused(api().get("/v1/accounts/" + ledger.accountId + "/balance", null, "Authorization", "Bearer "),
                401, "unauthorized");
    }

    @Test
    void aRequestWithAnUnknownKeyIsUnauthorized() {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);

        assertRefused(api().get("/v1/accounts/" + ledger.accountId + "/balance", "tly_not-a-key"), 401, "unauthorized");
        assertRefused(api().post("/v1/accounts/" + ledger.accountId + "/credits", "tly_not-a-key",
                "{\"grantId\":\"g\",\"amount\":\"1\",\"kind\":\"promotional\"}"), 401, "unauthorized");
        // The Idempotency-Key path authenticates on its own, before any record is claimed.
        assertRefused(api().post("/v1/accounts/" + ledger.accountId + "/credits", "tly_not-a-key",
                "{\"grantId\":\"g\",\"amount\":\"1\",\"kind\":\"promotional\"}", "Idempotency-Key", Api.unique("k")),
                401, "unauthorized");
    }

    @Test
    void adminIssuesAKeyForEveryRoleAndShowsItsSecretOnlyInTheAnswer() throws SQLException {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        for (String role : new String[] {"admin", "finance", "auditor", "client"}) {
            String accounts = role.equals("client") ? ",\"accountIds\":[\"" + ledger.accountId + "\"]" : "";
            Api.Response issued = api().post("/v1/api-keys", ADMIN_KEY,
                    "{\"name\":\"" + role + " key\",\"role\":\"" + role + "\"" + accounts + "}");

            assertThat(issued.status()).as(issued.raw().body()).isEqualTo(201);
            String id = issued.body().get("id").asText();
            String secret = issued.body().get("key").asText();
            assertThat(id).isNotBlank();
            assertThat(secret).startsWith("tly_").hasSizeGreaterThan(30);
            assertThat(issued.body().get("role").asText()).isEqualTo(role);
            // Every role may read a scoped resource of an account it covers.
            Api.Response balance = api().get("/v1/accounts/" + ledger.accountId + "/balance", secret);
            assertThat(balance.status()).as(role + ": " + balance.raw().body()).isEqualTo(200);
            // Only the hash is stored: nothing in the key table holds the secret itself.
            assertThat(storedKeyRows(id, secret)).isZero();
            assertThat(storedKeyRows(id, Hashes.sha256Hex(secret))).isEqualTo(1);
        }
        Api.Response again = api().post("/v1/api-keys", ADMIN_KEY, "{\"name\":\"finance key\",\"role\":\"finance\"}");
        Api.Response first = api().post("/v1/api-keys", ADMIN_KEY, "{\"name\":\"finance key\",\"role\":\"finance\"}");
        assertThat(again.body().get("key").asText()).isNotEqualTo(first.body().get("key").asText());
        assertThat(again.body().get("id").asText()).isNotEqualTo(first.body().get("id").asText());
        assertRefused(api().post("/v1/api-keys", ADMIN_KEY, "{\"name\":\"x\",\"role\":\"superuser\"}"), 422, "invalid_role");
        assertRefused(api().post("/v1/api-keys", ADMIN_KEY, "{\"name\":\"x\",\"role\":\"client\"}"), 400, "missing_field");
    }

    @Test
    void financeGrantsChargesAndPaysButCannotRecordUsageOrIssueKeys() {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        String finance = issue("finance", null);
        String base = "/v1/accounts/" + ledger.accountId;

        Api.Response grant = api().post(base + "/credits", finance,
                "{\"grantId\":\"g1\",\"amount\":\"10\",\"kind\":\"promotional\",\"effectiveAt\":\"2026-01-01T00:00:00Z\"}");
        assertThat(grant.status()).as(grant.raw().body()).isEqualTo(201);
        Api.Response charge = api().post(base + "/charges", finance,
                "{\"chargeId\":\"c1\",\"amount\":\"4\",\"description\":\"setup fee\"}");
        assertThat(charge.status()).as(charge.raw().body()).isEqualTo(201);
        Api.Response payment = api().post(base + "/payments", finance,
                "{\"paymentId\":\"p1\",\"amount\":\"7\",\"method\":\"wire\"}");
        assertThat(payment.status()).as(payment.raw().body()).isEqualTo(201);
        Api.Response voided = api().post(base + "/credits/g1/void", finance, "{\"reason\":\"test\"}");
        assertThat(voided.status()).as(voided.raw().body()).isEqualTo(200);

        assertRefused(api().post("/v1/usage", finance, usageBatch(ledger.accountId, "finance-usage")), 403, "forbidden");
        assertRefused(api().post("/v1/api-keys", finance, "{\"name\":\"mine\",\"role\":\"admin\"}"), 403, "forbidden");
        Api.Response journal = api().get(base + "/journal?minPosition=" + voided.position(), finance);
        assertThat(journal.status()).isEqualTo(200);
        assertThat(journal.body().get("items")).isNotEmpty();
        Api.Response balance = ledger.balance(voided.position());
        assertThat(balance.body().get("unbilled").asText()).isEqualTo("0.00");
        assertThat(balance.body().get("unappliedCash").asText()).isEqualTo("7.00");
        assertThat(balance.body().get("creditBalance").asText()).isEqualTo("0.00");
    }

    @Test
    void auditorWritesNothingButReadsTheJournal() {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        Api.Response usage = ledger.usage("u1", "gpu_seconds", "100", LedgerScenario.recently());
        String auditor = issue("auditor", null);
        String base = "/v1/accounts/" + ledger.accountId;

        assertRefused(api().post("/v1/plans", auditor, """
                {"planId":"%s","currency":"USD","prices":[{"meter":"m","model":"per_unit","unitPrice":"1"}]}"""
                .formatted(Api.unique("plan"))), 403, "forbidden");
        assertRefused(api().post("/v1/accounts", auditor, """
                {"accountId":"%s","name":"A","currency":"USD","planId":"%s"}""".formatted(Api.unique("acct"),
                ledger.planId)), 403, "forbidden");
        assertRefused(api().post(base + "/credits", auditor,
                "{\"grantId\":\"g1\",\"amount\":\"10\",\"kind\":\"promotional\"}"), 403, "forbidden");
        assertRefused(api().post(base + "/charges", auditor,
                "{\"chargeId\":\"c1\",\"amount\":\"4\",\"description\":\"fee\"}"), 403, "forbidden");
        assertRefused(api().post(base + "/payments", auditor,
                "{\"paymentId\":\"p1\",\"amount\":\"7\",\"method\":\"wire\"}"), 403, "forbidden");
        assertRefused(api().post(base + "/refunds", auditor,
                "{\"refundId\":\"r1\",\"paymentId\":\"p1\",\"amount\":\"1\"}"), 403, "forbidden");
        assertRefused(api().post(base + "/credits/g1/void", auditor, "{}"), 403, "forbidden");
        assertRefused(api().post("/v1/usage", auditor, usageBatch(ledger.accountId, "auditor-usage")), 403, "forbidden");
        assertRefused(api().post("/v1/api-keys", auditor, "{\"name\":\"mine\",\"role\":\"admin\"}"), 403, "forbidden");

        Api.Response journal = api().get(base + "/journal?minPosition=" + usage.position(), auditor);
        assertThat(journal.status()).as(journal.raw().body()).isEqualTo(200);
        assertThat(journal.body().get("items")).hasSize(2);
        Api.Response balance = api().get(base + "/balance?minPosition=" + usage.position(), auditor);
        assertThat(balance.status()).isEqualTo(200);
        assertThat(balance.body().get("unbilled").asText()).isEqualTo("0.20");
        assertThat(balance.body().get("creditBalance").asText()).isEqualTo("0.00");
    }

    @Test
    void aClientKeySeesAndRecordsOnlyItsOwnAccounts() {
        LedgerScenario own = LedgerScenario.open(api(), ADMIN_KEY);
        LedgerScenario foreign = LedgerScenario.open(api(), ADMIN_KEY);
        String client = issue("client", own.accountId);

        Api.Response ownBalance = api().get("/v1/accounts/" + own.accountId + "/balance", client);
        assertThat(ownBalance.status()).isEqualTo(200);
        assertThat(api().get("/v1/accounts/" + own.accountId, client).status()).isEqualTo(200);
        assertRefused(api().get("/v1/accounts/" + foreign.accountId + "/balance", client), 403, "forbidden");
        assertRefused(api().get("/v1/accounts/" + foreign.accountId, client), 403, "forbidden");
        assertRefused(api().get("/v1/accounts/" + foreign.accountId + "/usage", client), 403, "forbidden");

        String when = LedgerScenario.recently().toString();
        Api.Response batch = api().post("/v1/usage", client, """
                {"events":[
                  {"idempotencyKey":"mine-1","accountId":"%s","meter":"gpu_seconds","quantity":"500","timestamp":"%s"},
                  {"idempotencyKey":"theirs-1","accountId":"%s","meter":"gpu_seconds","quantity":"500","timestamp":"%s"},
                  {"idempotencyKey":"mine-2","accountId":"%s","meter":"images","quantity":"10","timestamp":"%s"}
                ]}""".formatted(own.accountId, when, foreign.accountId, when, own.accountId, when));
        assertThat(batch.status()).as(batch.raw().body()).isEqualTo(200);
        var results = batch.body().get("results");
        assertThat(results.get(0).get("status").asText()).isEqualTo("accepted");
        assertThat(results.get(1).get("idempotencyKey").asText()).isEqualTo("theirs-1");
        assertThat(results.get(1).get("status").asText()).isEqualTo("rejected");
        assertThat(results.get(1).get("code").asText()).isEqualTo("forbidden");
        assertThat(results.get(2).get("status").asText()).isEqualTo("accepted");

        // 500 × 0.002 + 10 × 0.04 = 1.40 on the client's account; nothing reached the other one.
        Api.Response mine = api().get("/v1/accounts/" + own.accountId + "/balance?minPosition=" + batch.position(), client);
        assertThat(mine.body().get("unbilled").asText()).isEqualTo("1.40");
        Api.Response theirs = foreign.balance(batch.position());
        assertThat(theirs.body().get("unbilled").asText()).isEqualTo("0.00");
        assertThat(api().get("/v1/accounts/" + foreign.accountId + "/usage?minPosition=" + batch.position(), ADMIN_KEY)
                .body().get("items")).isEmpty();

        assertRefused(api().get("/v1/accounts/" + own.accountId + "/journal", client), 403, "forbidden");
        assertRefused(api().post("/v1/accounts/" + own.accountId + "/credits", client,
                "{\"grantId\":\"g1\",\"amount\":\"10\",\"kind\":\"promotional\"}"), 403, "forbidden");
        assertRefused(api().post("/v1/api-keys", client, "{\"name\":\"mine\",\"role\":\"admin\"}"), 403, "forbidden");
    }

    @Test
    void healthMetricsAndTheOpenApiDocumentNeedNoKey() throws IOException, InterruptedException {
        Api.Response docs = api().get("/v3/api-docs", null);
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body().get("openapi").asText()).startsWith("3.");
        assertThat(docs.body().get("paths").has("/v1/usage")).isTrue();

        Api.Response readiness = api().get("/actuator/health/readiness", null);
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.body().get("status").asText()).isEqualTo("UP");
        Api.Response liveness = api().get("/actuator/health/liveness", null);
        assertThat(liveness.status()).isEqualTo(200);

        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(api().baseUrl() + "/actuator/prometheus")).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("http_server_requests_seconds");
    }

    private String issue(String role, String accountId) {
        String accounts = accountId == null ? "" : ",\"accountIds\":[\"" + accountId + "\"]";
        Api.Response issued = api().post("/v1/api-keys", ADMIN_KEY,
                "{\"name\":\"" + role + " key\",\"role\":\"" + role + "\"" + accounts + "}");
        assertThat(issued.status()).as(issued.raw().body()).isEqualTo(201);
        return issued.body().get("key").asText();
    }

    private static String usageBatch(String accountId, String idempotencyKey) {
        return """
                {"events":[{"idempotencyKey":"%s","accountId":"%s","meter":"gpu_seconds","quantity":"1","timestamp":"%s"}]}"""
                .formatted(idempotencyKey, accountId, LedgerScenario.recently());
    }

    private static void assertRefused(Api.Response response, int status, String code) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith(PROBLEM_JSON);
        assertThat(response.code()).isEqualTo(code);
    }

    private static int storedKeyRows(String keyId, String hash) throws SQLException {
        try (Connection connection = TestDatabase.get().ownerConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT count(*) FROM api.api_key WHERE key_id = ? AND key_hash = ?")) {
            statement.setString(1, keyId);
            statement.setString(2, hash);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
