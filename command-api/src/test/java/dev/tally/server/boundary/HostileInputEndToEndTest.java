package dev.tally.server.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.boundary.HostileJson.Members;
import dev.tally.server.boundary.HostileJson.RawNumber;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.Eventually;
import dev.tally.server.testing.ServerTest;
import dev.tally.server.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Goal: over a thousand generated hostile requests to every endpoint, the server never answers
 * 5xx, answers every refusal as problem+json with a code, writes nothing for anything it refuses,
 * and its projections still move afterwards. A fixed seed keeps a known run; a fresh seed each
 * run explores further and is printed with every failure, so that run can be repeated.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputEndToEndTest extends ServerTest {

    private static final long FIXED_SEED = 20261207L;
    private static final int REQUESTS_PER_SEED = 600;
    private static final int ONE_MEBIBYTE = 1024 * 1024;

    /** One endpoint with a body that would be taken as it is. */
    private record Endpoint(String method, String path, Supplier<Members> validBody) {
    }

    private record Sent(String description, Api.Response response) {
    }

    private String prefix;
    private String planId;
    private String accountId;
    private String otherAccountId;
    private Connection database;
    private List<Endpoint> posts;
    private List<String> reads;

    @BeforeAll
    void openAccountsWithHistory() throws SQLException {
        database = TestDatabase.get().ownerConnection();
        prefix = Api.unique("hostile");
        planId = prefix + "-plan";
        accountId = prefix + "-a";
        otherAccountId = prefix + "-b";
        created(api().post("/v1/plans", ADMIN_KEY, """
                {"planId":"%s","currency":"USD","effectiveFrom":"2026-01-01T00:00:00Z","minimumCommitment":"5.00","prices":[
                  {"meter":"gpu_seconds","model":"per_unit","unitPrice":"0.002"},
                  {"meter":"images","model":"graduated","tiers":[{"upTo":"100","unitPrice":"0.04"},{"upTo":null,"unitPrice":"0.02"}]}
                ]}""".formatted(planId)));
        for (String id : List.of(accountId, otherAccountId)) {
            created(api().post("/v1/accounts", ADMIN_KEY, """
                    {"accountId":"%s","name":"Hostile Co","currency":"USD","planId":"%s","billingStart":"2026-01-01T00:00:00Z"}"""
                    .formatted(id, planId)));
            created(api().post("/v1/accounts/" + id + "/credits", ADMIN_KEY,
                    "{\"grantId\":\"g0\",\"amount\":\"3\",\"kind\":\"prepaid\",\"effectiveAt\":\"2026-01-01T00:00:00Z\"}"));
            created(api().post("/v1/accounts/" + id + "/payments", ADMIN_KEY,
                    "{\"paymentId\":\"p0\",\"amount\":\"10\",\"method\":\"card\"}"));
        }
        posts = endpoints();
        reads = readPaths();
    }

    @AfterAll
    void closeDatabase() throws SQLException {
        database.close();
    }

    @Test
    void noHostileRequestGetsA5xxOrWritesAnythingWhenRefused() throws SQLException {
        long freshSeed = System.nanoTime();
        System.out.println("HostileInputEndToEndTest: fixed seed " + FIXED_SEED + ", fresh seed " + freshSeed);
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (long seed : new long[]{FIXED_SEED, freshSeed}) {
            Random random = new Random(seed);
            for (int request = 0; request < REQUESTS_PER_SEED; request++) {
                statuses.merge(checkOne(random, seed, request), 1, Integer::sum);
            }
        }
        System.out.println("HostileInputEndToEndTest: answers by status " + statuses);
        int refused = statuses.entrySet().stream().filter(e -> e.getKey() >= 400).mapToInt(Map.Entry::getValue).sum();
        assertThat(statuses.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(2 * REQUESTS_PER_SEED);
        // Most mutations must be refused; if they were not, the generator would be testing valid input.
        assertThat(refused).as("refused answers " + statuses).isGreaterThan(REQUESTS_PER_SEED);
        projectionsStillMove();
    }

    /** Sends one hostile request, checks what it did, and returns its status. */
    private int checkOne(Random random, long seed, int request) throws SQLException {
        long eventsBefore = events();
        long usageBefore = usageEvents();
        long keysBefore = apiKeys();
        Sent sent = random.nextInt(4) == 0 ? hostileRead(random) : hostileWrite(random);
        Api.Response response = sent.response();
        String where = "seed " + seed + ", request " + request + ": " + sent.description() + " -> " + response.status()
                + " " + response.raw().body();
        assertThat(response.status()).as(where).isLessThan(500);
        if (response.status() >= 400) {
            assertThat(response.contentType()).as(where).startsWith("application/problem+json");
            assertThat(response.code()).as(where).isNotBlank();
            assertThat(events()).as(where + " wrote events").isEqualTo(eventsBefore);
            assertThat(apiKeys()).as(where + " wrote an API key").isEqualTo(keysBefore);
        } else if (sent.description().startsWith("POST /v1/usage")) {
            long accepted = 0;
            for (var result : response.body().get("results")) {
                accepted += "accepted".equals(result.get("status").asText()) ? 1 : 0;
            }
            assertThat(usageEvents() - usageBefore).as(where + " stored usage events").isEqualTo(accepted);
        }
        return response.status();
    }

    private Sent hostileWrite(Random random) {
        Endpoint endpoint = posts.get(random.nextInt(posts.size()));
        Members body = endpoint.validBody().get();
        String contentType = "application/json";
        String mutation;
        byte[] bytes;
        int kind = random.nextInt(16);
        if (kind < 10) {
            mutation = mutateTree(body, random);
            bytes = HostileJson.write(body).getBytes(StandardCharsets.UTF_8);
        } else {
            String json = HostileJson.write(body);
            switch (kind) {
                case 10 -> {
                    int cut = random.nextInt(Math.max(1, json.length()));
                    mutation = "truncated at " + cut;
                    bytes = json.substring(0, cut).getBytes(StandardCharsets.UTF_8);
                }
                case 11 -> {
                    mutation = "invalid UTF-8";
                    byte[] valid = json.getBytes(StandardCharsets.UTF_8);
                    bytes = new byte[valid.length + 2];
                    int at = 1 + random.nextInt(Math.max(1, valid.length - 2));
                    System.arraycopy(valid, 0, bytes, 0, at);
                    bytes[at] = (byte) 0xC3;
                    bytes[at + 1] = (byte) 0x28;
                    System.arraycopy(valid, at, bytes, at + 2, valid.length - at);
                }
                case 12 -> {
                    mutation = "oversize body";
                    body.with("padding", "x".repeat(ONE_MEBIBYTE));
                    bytes = HostileJson.write(body).getBytes(StandardCharsets.UTF_8);
                }
                case 13 -> {
                    contentType = pick(random, "text/plain", "*/*", "application/xml", "application/x-www-form-urlencoded",
                            "application/merge-patch+json", "multipart/form-data; boundary=x", null);
                    mutation = "content type " + contentType;
                    bytes = json.getBytes(StandardCharsets.UTF_8);
                }
                case 14 -> {
                    mutation = "not a JSON object";
                    bytes = pick(random, "", "null", "[]", "42", "\"text\"", "{", "}{", "{}{}", "{\"a\":1}{\"b\":2}",
                            "\uFEFF{}", "{'single':'quotes'}", "{\"a\":NaN}", "{\"a\":.5}", "{/*c*/}")
                            .getBytes(StandardCharsets.UTF_8);
                }
                default -> {
                    mutation = "deep nesting";
                    int depth = pick(random, 64, 900, 1500, 20_000);
                    body.with("nested", new RawNumber("[".repeat(depth) + "\"x\"" + "]".repeat(depth)));
                    bytes = HostileJson.write(body).getBytes(StandardCharsets.UTF_8);
                }
            }
        }
        String[] headers = random.nextInt(3) == 0 ? new String[]{"Idempotency-Key", prefix + "-idem-" + random.nextInt(1_000_000)}
                : new String[0];
        Api.Response response = api().raw(endpoint.method(), endpoint.path(), ADMIN_KEY, contentType, bytes, headers);
        return new Sent(endpoint.method() + " " + endpoint.path() + " (" + mutation + ", "
                + abbreviated(new String(bytes, StandardCharsets.UTF_8)) + ")", response);
    }

    /** Changes one member somewhere in the body in one of the ways a hostile client would. */
    private static String mutateTree(Members body, Random random) {
        List<Members> objects = new ArrayList<>();
        collect(body, objects);
        Members target = objects.get(random.nextInt(objects.size()));
        if (target.names.isEmpty()) {
            target.with("unexpected", "value");
            return "unknown member in an empty object";
        }
        int member = random.nextInt(target.names.size());
        String name = target.names.get(member);
        Object original = target.values.get(member);
        switch (random.nextInt(7)) {
            case 0 -> {
                String text = original instanceof String s ? s : "text";
                int at = random.nextInt(text.length() + 1);
                char bad = pick(random, '\u0000', '\u0001', '\u001b', '\u007f', '\r', '\n', '\t', '\ud800', '\udfff');
                target.values.set(member, text.substring(0, at) + bad + text.substring(at));
                return String.format("U+%04X in %s", (int) bad, name);
            }
            case 1 -> {
                target.with(name, original instanceof String s ? s + "1" : "1");
                return "duplicate " + name;
            }
            case 2 -> {
                target.with(pick(random, "invoiceId", "billingPeriod", "filters", "extra", "quantity ", "", "__proto__"),
                        "value");
                return "unknown member";
            }
            case 3 -> {
                target.values.set(member, pick(random, (Object) "1e999999", "-1e-999999",
                        "123456789012345678901234567890.5", "0.0000000000001", "-0", "NaN", "Infinity", "1_000",
                        new RawNumber("1e400"), new RawNumber("-1e400"), new RawNumber("123456789012345678901234567890"),
                        new RawNumber("0.1e-400"), new RawNumber("-0.0"), "999999999999.999999999999", "1000000000000"));
                return "absurd number in " + name;
            }
            case 4 -> {
                target.values.set(member, pick(random, (Object) Boolean.TRUE, null, List.of(), new Members(), 42,
                        new Members().with("value", "1"), List.of("a", "b")));
                return "wrong type for " + name;
            }
            case 5 -> {
                target.values.set(member, pick(random, "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z",
                        "0001-04-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-13-01", "", "yesterday",
                        "1999-12-31T23:59:59Z", "3000-01-01T00:00:00Z", "2026-12-01T00:00:00+25:00",
                        "2026-12-01t00:00:00z", "2026-12-01T00:00:00.1234567890123Z"));
                return "bad date in " + name;
            }
            default -> {
                target.names.remove(member);
                target.values.remove(member);
                return "missing " + name;
            }
        }
    }

    private static void collect(Object value, List<Members> objects) {
        if (value instanceof Members members) {
            objects.add(members);
            members.values.forEach(child -> collect(child, objects));
        } else if (value instanceof List<?> list) {
            list.forEach(child -> collect(child, objects));
        }
    }

    private Sent hostileRead(Random random) {
        String path = reads.get(random.nextInt(reads.size()));
        String parameter = pick(random, "limit", "cursor", "minPosition", "from", "to", "meter", "status", "asOf", "type",
                "unknown");
        String value = pick(random, "-1", "0", "1001", "99999999999999999999", "abc", "1.5", "%00", "%ff", "%ed%a0%80",
                "a%01b", Base64.getUrlEncoder().encodeToString("a\u0000|2026-01-01".getBytes(StandardCharsets.UTF_8)),
                Base64.getUrlEncoder().encodeToString("x".repeat(5000).getBytes(StandardCharsets.UTF_8)), "====",
                "+999999999-12-31T23:59:59Z", "0001-01-01", "2026-02-30", "", "%2F..%2F", "9223372036854775808");
        String url = path + (path.contains("?") ? "&" : "?") + parameter + "=" + value;
        return new Sent("GET " + url, api().raw("GET", url, ADMIN_KEY, null, null));
    }

    private List<Endpoint> endpoints() {
        String account = "/v1/accounts/" + accountId;
        return List.of(
                new Endpoint("POST", "/v1/plans", () -> new Members().with("planId", prefix + "-p" + System.nanoTime())
                        .with("currency", "USD").with("effectiveFrom", "2026-01-01T00:00:00Z").with("minimumCommitment", "5")
                        .with("prices", List.of(new Members().with("meter", "m").with("model", "per_unit")
                                .with("unitPrice", "0.5"), new Members().with("meter", "n").with("model", "graduated")
                                .with("tiers", List.of(new Members().with("upTo", "10").with("unitPrice", "1"),
                                        new Members().with("upTo", null).with("unitPrice", "0.5")))))),
                new Endpoint("POST", "/v1/accounts", () -> new Members().with("accountId", prefix + "-n" + System.nanoTime())
                        .with("name", "New Co").with("currency", "USD").with("planId", planId).with("billingAnchorDay", 5)
                        .with("billingStart", "2026-11-01T00:00:00Z").with("lowBalanceThreshold", "2.50")
                        .with("email", "ap@example.com")),
                new Endpoint("POST", "/v1/usage", () -> new Members().with("events", List.of(
                        usage("gpu_seconds", "12.5"), usage("images", "3"), usage("gpu_seconds", "0.000001")))),
                new Endpoint("POST", account + "/credits", () -> new Members().with("grantId", "g" + System.nanoTime())
                        .with("amount", "1.25").with("kind", "promotional").with("effectiveAt", "2026-11-01T00:00:00Z")
                        .with("expiresAt", "2027-06-01T00:00:00Z").with("priority", 2).with("description", "welcome\ncredit")),
                new Endpoint("POST", account + "/credits/g0/void", () -> new Members().with("reason", "mistake")),
                new Endpoint("POST", account + "/charges", () -> new Members().with("chargeId", "c" + System.nanoTime())
                        .with("amount", "2.00").with("description", "setup fee").with("timestamp", recently().toString())),
                new Endpoint("POST", account + "/payments", () -> new Members().with("paymentId", "p" + System.nanoTime())
                        .with("amount", "1.00").with("method", "card").with("externalRef", "pi_123")),
                new Endpoint("POST", account + "/refunds", () -> new Members().with("refundId", "r" + System.nanoTime())
                        .with("paymentId", "p0").with("amount", "0.01")),
                new Endpoint("POST", account + "/invoices", () -> new Members().with("periodStart", "2026-01-01T00:00:00Z")),
                new Endpoint("POST", "/v1/invoices/" + prefix + "-nope/void", () -> new Members()
                        .with("restoreCredits", true).with("reason", "wrong")),
                new Endpoint("POST", "/v1/api-keys", () -> new Members().with("name", prefix + " key").with("role", "client")
                        .with("accountIds", List.of(accountId))));
    }

    private Members usage(String meter, String quantity) {
        return new Members().with("idempotencyKey", prefix + "-u" + System.nanoTime()).with("accountId", accountId)
                .with("meter", meter).with("quantity", quantity).with("timestamp", recently().toString())
                .with("properties", new Members().with("model", "flux-pro").with("steps", new RawNumber("28")));
    }

    private List<String> readPaths() {
        String account = "/v1/accounts/" + accountId;
        return List.of(account, account + "/balance", account + "/usage", account + "/invoices", account + "/journal",
                account + "/audit", "/v1/plans/" + planId, "/v1/invoices/" + prefix + "-nope", "/v1/accounts/" + otherAccountId
                        + "/balance?asOf=2026-06-01T00:00:00Z");
    }

    /** After all of it, new usage on the other account is still projected and read back. */
    private void projectionsStillMove() {
        Api.Response usage = api().post("/v1/usage", ADMIN_KEY, """
                {"events":[{"idempotencyKey":"%s-final","accountId":"%s","meter":"gpu_seconds","quantity":"500","timestamp":"%s"}]}
                """.formatted(prefix, otherAccountId, recently()));
        assertThat(usage.body().get("results").get(0).get("status").asText()).isEqualTo("accepted");
        Api.Response balance = api().get("/v1/accounts/" + otherAccountId + "/balance?minPosition=" + usage.position(),
                ADMIN_KEY);
        assertThat(balance.status()).as(balance.raw().body()).isEqualTo(200);
        // 500 × 0.002 = 1.00, funded by the 3.00 grant.
        assertThat(balance.body().get("creditBalance").asText()).isEqualTo("2.00");
        Eventually.awaitTrue("health is UP", Duration.ofSeconds(10),
                () -> "UP".equals(api().get("/actuator/health", null).body().get("status").asText()), () -> "");
    }

    private long events() throws SQLException {
        return count("SELECT count(*) FROM events.domain_event_entry WHERE aggregateIdentifier LIKE ?");
    }

    private long usageEvents() throws SQLException {
        return count("SELECT count(*) FROM events.usage_event WHERE aggregateIdentifier LIKE ?");
    }

    private long apiKeys() throws SQLException {
        try (PreparedStatement statement = database.prepareStatement("SELECT count(*) FROM api.api_key");
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private long count(String sql) throws SQLException {
        try (PreparedStatement statement = database.prepareStatement(sql)) {
            statement.setString(1, "%" + prefix + "%");
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static Instant recently() {
        return Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
    }

    private static void created(Api.Response response) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static String abbreviated(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "… (" + text.length() + " characters)";
    }
}
