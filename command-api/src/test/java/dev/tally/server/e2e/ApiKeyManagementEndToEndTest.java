package dev.tally.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.Hashes;
import dev.tally.server.testing.ServerTest;
import dev.tally.server.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

// Goal: admins list, revoke and rotate keys without ever seeing a secret again, every change is recorded with
// the key that made it, a revoked key is refused from then on, and any key can ask who it is.
class ApiKeyManagementEndToEndTest extends ServerTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    @Test
    void theListShowsEveryKeyButNeverASecretOrItsHash() {
        Api.Response issued = issue("{\"name\":\"listed ingest\",\"role\":\"client\",\"accountIds\":[\"acct-b\",\"acct-a\"]}");
        String id = issued.body().get("id").asText();
        String secret = issued.body().get("key").asText();
        // With the bootstrap key, at least four keys: more than one page of two.
        issue("{\"name\":\"listed finance\",\"role\":\"finance\"}");
        issue("{\"name\":\"listed auditor\",\"role\":\"auditor\"}");

        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            pages++;
            // Two a page, so that the cursor is followed too.
            Api.Response page = api().get("/v1/api-keys?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), ADMIN_KEY);
            assertThat(page.status()).as(page.raw().body()).isEqualTo(200);
            assertThat(page.raw().body()).doesNotContain(secret).doesNotContain(Hashes.sha256Hex(secret));
            page.body().get("items").forEach(all::add);
            cursor = page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").asText();
        } while (cursor != null);
        assertThat(pages).isGreaterThan(1);

        JsonNode listed = all.stream().filter(key -> key.get("id").asText().equals(id)).findFirst().orElseThrow();
        assertThat(listed.get("name").asText()).isEqualTo("listed ingest");
        assertThat(listed.get("role").asText()).isEqualTo("client");
        assertThat(listed.get("accountIds").toString()).isEqualTo("[\"acct-b\",\"acct-a\"]");
        assertThat(listed.get("status").asText()).isEqualTo("active");
        assertThat(listed.get("createdAt").asText()).endsWith("Z");
        assertThat(listed.get("revokedAt").isNull()).isTrue();
        assertThat(listed.has("key")).isFalse();
        assertThat(all.stream().map(key -> key.get("id").asText()).distinct().count()).as("no key twice").isEqualTo(all.size());
        assertThat(all).allSatisfy(key -> assertThat(key.size()).isEqualTo(listed.size()));
    }

    @Test
    void aRevokedKeyIsUnauthorizedFromThenOn() {
        Api.Response issued = issue("{\"name\":\"to revoke\",\"role\":\"finance\"}");
        String id = issued.body().get("id").asText();
        String secret = issued.body().get("key").asText();
        assertThat(api().get("/v1/me", secret).status()).isEqualTo(200);

        Api.Response revoked = api().post("/v1/api-keys/" + id + "/revoke", ADMIN_KEY, "");
        assertThat(revoked.status()).as(revoked.raw().body()).isEqualTo(200);
        assertThat(revoked.body().get("status").asText()).isEqualTo("revoked");
        assertThat(revoked.body().get("revokedAt").asText()).endsWith("Z");

        assertRefused(api().get("/v1/me", secret), 401, "unauthorized");
        assertRefused(api().get("/v1/api-keys", secret), 401, "unauthorized");
        // The Idempotency-Key path authenticates on its own; it refuses the key too.
        assertRefused(api().post("/v1/plans", secret, "{}", "Idempotency-Key", Api.unique("k")), 401, "unauthorized");
        assertRefused(api().post("/v1/api-keys/" + id + "/revoke", ADMIN_KEY, ""), 409, "api_key_revoked");
        assertRefused(api().post("/v1/api-keys/" + id + "/rotate", ADMIN_KEY, "{\"gracePeriod\":\"PT1H\"}"), 409,
                "api_key_revoked");
        JsonNode listed = find(id);
        assertThat(listed.get("status").asText()).isEqualTo("revoked");
        assertThat(listed.get("revokedAt").asText()).isEqualTo(revoked.body().get("revokedAt").asText());
    }

    @Test
    void onlyAnAdminManagesKeysAndUnknownKeysAreNotFound() {
        String finance = issue("{\"name\":\"finance\",\"role\":\"finance\"}").body().get("key").asText();
        String auditor = issue("{\"name\":\"auditor\",\"role\":\"auditor\"}").body().get("key").asText();
        String target = issue("{\"name\":\"target\",\"role\":\"finance\"}").body().get("id").asText();

        for (String key : List.of(finance, auditor)) {
            assertRefused(api().get("/v1/api-keys", key), 403, "forbidden");
            assertRefused(api().post("/v1/api-keys/" + target + "/revoke", key, ""), 403, "forbidden");
            assertRefused(api().post("/v1/api-keys/" + target + "/rotate", key, "{\"gracePeriod\":\"PT0S\"}"), 403,
                    "forbidden");
        }
        assertRefused(api().get("/v1/api-keys/" + target + "/changes", finance), 403, "forbidden");
        assertThat(api().get("/v1/api-keys/" + target + "/changes", auditor).status()).isEqualTo(200);
        assertThat(find(target).get("status").asText()).isEqualTo("active");

        assertRefused(api().post("/v1/api-keys/key_nope/revoke", ADMIN_KEY, ""), 404, "unknown_api_key");
        assertRefused(api().post("/v1/api-keys/key_nope/rotate", ADMIN_KEY, "{\"gracePeriod\":\"PT1H\"}"), 404,
                "unknown_api_key");
        assertRefused(api().get("/v1/api-keys/key_nope/changes", ADMIN_KEY), 404, "unknown_api_key");
    }

    @Test
    void aRotationWithoutGraceRetiresTheOldSecretAtOnce() throws SQLException {
        Api.Response issued = issue("{\"name\":\"rotate now\",\"role\":\"auditor\"}");
        String id = issued.body().get("id").asText();
        String old = issued.body().get("key").asText();

        Api.Response rotated = api().post("/v1/api-keys/" + id + "/rotate", ADMIN_KEY, "{\"gracePeriod\":\"PT0S\"}");
        assertThat(rotated.status()).as(rotated.raw().body()).isEqualTo(200);
        String fresh = rotated.body().get("key").asText();
        assertThat(fresh).startsWith("tly_").isNotEqualTo(old);
        assertThat(rotated.body().get("id").asText()).isEqualTo(id);
        assertThat(rotated.body().get("role").asText()).isEqualTo("auditor");
        assertThat(rotated.body().get("previousKeyValidUntil").isNull()).isTrue();

        assertRefused(api().get("/v1/me", old), 401, "unauthorized");
        Api.Response me = api().get("/v1/me", fresh);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body().get("id").asText()).isEqualTo(id);
        assertThat(find(id).toString()).doesNotContain(fresh).doesNotContain(Hashes.sha256Hex(fresh));
        // Both secrets are kept only as hashes: the current one on the key, the replaced one apart.
        assertThat(count("SELECT count(*) FROM api.api_key WHERE key_id = ? AND key_hash = ?", id,
                Hashes.sha256Hex(fresh))).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM api.api_key_retired_secret WHERE key_id = ? AND key_hash = ?", id,
                Hashes.sha256Hex(old))).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM api.api_key_retired_secret WHERE key_hash IN (?, ?)", old, fresh)).isZero();
    }

    @Test
    void aGracePeriodIsAnIsoDurationOfAtMostThirtyDays() {
        String id = issue("{\"name\":\"grace rules\",\"role\":\"finance\"}").body().get("id").asText();
        String rotate = "/v1/api-keys/" + id + "/rotate";

        assertRefused(api().post(rotate, ADMIN_KEY, "{}"), 400, "missing_field");
        assertRefused(api().post(rotate, ADMIN_KEY, "{\"gracePeriod\":\"P31D\"}"), 422, "invalid_field");
        assertRefused(api().post(rotate, ADMIN_KEY, "{\"gracePeriod\":\"-PT1S\"}"), 422, "invalid_field");
        assertRefused(api().post(rotate, ADMIN_KEY, "{\"gracePeriod\":\"P1M\"}"), 422, "invalid_field");
        assertRefused(api().post(rotate, ADMIN_KEY, "{\"gracePeriod\":\"an hour\"}"), 422, "invalid_field");
        assertRefused(api().post(rotate, ADMIN_KEY, "{\"gracePeriod\":\"PT1H\",\"extra\":1}"), 400, "unknown_member");

        Api.Response longest = api().post(rotate, ADMIN_KEY, "{\"gracePeriod\":\"P30D\"}");
        assertThat(longest.status()).as(longest.raw().body()).isEqualTo(200);
        assertThat(longest.body().get("previousKeyValidUntil").asText()).endsWith("Z");
    }

    @Test
    void everyChangeIsRecordedWithTheKeyThatMadeItAndTheRequestId() {
        String adminId = api().get("/v1/me", ADMIN_KEY).body().get("id").asText();
        Api.Response issued = api().post("/v1/api-keys", ADMIN_KEY, "{\"name\":\"audited\",\"role\":\"finance\"}",
                "X-Request-Id", "issue-audited-1");
        String id = issued.body().get("id").asText();
        api().post("/v1/api-keys/" + id + "/rotate", ADMIN_KEY, "{\"gracePeriod\":\"PT2H\"}", "X-Request-Id", "rotate-audited-1");
        api().post("/v1/api-keys/" + id + "/revoke", ADMIN_KEY, "", "X-Request-Id", "revoke-audited-1");
        String auditor = issue("{\"name\":\"change reader\",\"role\":\"auditor\"}").body().get("key").asText();

        Api.Response changes = api().get("/v1/api-keys/" + id + "/changes", auditor);
        assertThat(changes.status()).as(changes.raw().body()).isEqualTo(200);
        JsonNode items = changes.body().get("items");
        assertThat(items).hasSize(3);
        assertThat(items.findValuesAsText("change")).containsExactly("issued", "rotated", "revoked");
        assertThat(items.findValuesAsText("actor")).containsOnly(adminId);
        assertThat(items.findValuesAsText("requestId")).containsExactly("issue-audited-1", "rotate-audited-1",
                "revoke-audited-1");
        assertThat(items.get(1).get("previousKeyValidUntil").asText()).endsWith("Z");
        assertThat(items.get(0).get("previousKeyValidUntil").isNull()).isTrue();
        assertThat(changes.body().get("nextCursor").isNull()).isTrue();
        // One a page: the cursor leads through the same changes in order.
        Api.Response first = api().get("/v1/api-keys/" + id + "/changes?limit=1", auditor);
        Api.Response second = api().get("/v1/api-keys/" + id + "/changes?limit=1&cursor="
                + first.body().get("nextCursor").asText(), auditor);
        assertThat(second.body().get("items").get(0).get("change").asText()).isEqualTo("rotated");
    }

    @Test
    void theChangeRecordIsAppendOnlyEvenForTheSchemaOwner() throws SQLException {
        String id = issue("{\"name\":\"tamper\",\"role\":\"finance\"}").body().get("id").asText();
        for (String sql : List.of("UPDATE api.api_key_change SET actor = 'someone else' WHERE key_id = '" + id + "'",
                "DELETE FROM api.api_key_change WHERE key_id = '" + id + "'")) {
            try (Connection connection = TestDatabase.get().ownerConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute(sql);
                throw new AssertionError("the database let through: " + sql);
            } catch (SQLException refused) {
                assertThat(refused.getMessage()).contains("append-only");
            }
        }
    }

    @Test
    void everyRoleReadsItselfAtMe() {
        for (String role : List.of("admin", "finance", "auditor", "client")) {
            String accounts = role.equals("client") ? ",\"accountIds\":[\"me-1\",\"me-2\"]" : "";
            Api.Response issued = issue("{\"name\":\"me " + role + "\",\"role\":\"" + role + "\"" + accounts + "}");

            Api.Response me = api().get("/v1/me", issued.body().get("key").asText());
            assertThat(me.status()).as(me.raw().body()).isEqualTo(200);
            assertThat(me.body().get("id").asText()).isEqualTo(issued.body().get("id").asText());
            assertThat(me.body().get("name").asText()).isEqualTo("me " + role);
            assertThat(me.body().get("role").asText()).isEqualTo(role);
            assertThat(me.body().get("accountIds").toString())
                    .isEqualTo(role.equals("client") ? "[\"me-1\",\"me-2\"]" : "[]");
            assertThat(me.raw().body()).doesNotContain(issued.body().get("key").asText());
        }
        assertRefused(api().get("/v1/me", null), 401, "unauthorized");
    }

    @Test
    void theBearerSchemeNameIsCaseInsensitive() {
        for (String scheme : List.of("Bearer", "bearer", "BEARER", "bEaReR")) {
            Api.Response me = api().raw("GET", "/v1/me", null, null, null, "Authorization", scheme + " " + ADMIN_KEY);
            assertThat(me.status()).as(scheme).isEqualTo(200);
        }
        for (String header : List.of("Bearer" + ADMIN_KEY, "Bearerx " + ADMIN_KEY, "Basic " + ADMIN_KEY, "bearer ",
                ADMIN_KEY)) {
            assertRefused(api().raw("GET", "/v1/me", null, null, null, "Authorization", header), 401, "unauthorized");
        }
    }

    private static int count(String sql, String... arguments) throws SQLException {
        try (Connection connection = TestDatabase.get().ownerConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < arguments.length; i++) {
                statement.setString(i + 1, arguments[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private Api.Response issue(String body) {
        Api.Response issued = api().post("/v1/api-keys", ADMIN_KEY, body);
        assertThat(issued.status()).as(issued.raw().body()).isEqualTo(201);
        return issued;
    }

    /** The key as the list shows it, looked for on every page. */
    private JsonNode find(String id) {
        String cursor = null;
        do {
            Api.Response page = api().get("/v1/api-keys?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor), ADMIN_KEY);
            for (JsonNode key : page.body().get("items")) {
                if (key.get("id").asText().equals(id)) {
                    return key;
                }
            }
            cursor = page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").asText();
        } while (cursor != null);
        throw new AssertionError("key " + id + " is not listed");
    }

    private static void assertRefused(Api.Response response, int status, String code) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith(PROBLEM_JSON);
        assertThat(response.code()).isEqualTo(code);
    }
}
