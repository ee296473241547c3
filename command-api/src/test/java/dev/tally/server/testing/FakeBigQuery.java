package dev.tally.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A local stand-in for BigQuery's REST API v2, speaking the JSON the Java client sends and reads:
 * datasets get/insert, tables get/insert/patch (the client sends PATCH as a POST with
 * {@code X-HTTP-Method-Override}), and {@code tabledata.insertAll} with its {@code insertErrors}
 * (rows that break the table's schema are refused; with {@code skipInvalidRows} the valid ones still
 * land, without it none do and the valid ones are reported {@code stopped}). It keeps every row it
 * accepts, insertId included, and deliberately does <em>not</em> deduplicate by insertId: real
 * BigQuery only does so best-effort for about a minute, so the tests prove the export does not rely on it.
 * Switches inject faults: 5xx answers to the next insertAll requests, and rows refused by a rule.
 */
public final class FakeBigQuery implements AutoCloseable {

    /** One stored row: what the client sent as insertId and json. */
    public record StoredRow(String insertId, JsonNode json) {
    }

    private static final Pattern DATASETS = Pattern.compile("/bigquery/v2/projects/([^/]+)/datasets");
    private static final Pattern DATASET = Pattern.compile("/bigquery/v2/projects/([^/]+)/datasets/([^/]+)");
    private static final Pattern TABLES = Pattern.compile("/bigquery/v2/projects/([^/]+)/datasets/([^/]+)/tables");
    private static final Pattern TABLE = Pattern.compile("/bigquery/v2/projects/([^/]+)/datasets/([^/]+)/tables/([^/]+)");
    private static final Pattern INSERT_ALL =
            Pattern.compile("/bigquery/v2/projects/([^/]+)/datasets/([^/]+)/tables/([^/]+)/insertAll");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final Map<String, ObjectNode> datasets = new LinkedHashMap<>();
    private final Map<String, ObjectNode> tables = new LinkedHashMap<>();
    private final Map<String, List<StoredRow>> rows = new LinkedHashMap<>();
    private final List<String> requests = new ArrayList<>();
    private final AtomicInteger insertAllFailuresLeft = new AtomicInteger();
    private volatile int insertAllFailureStatus = 503;
    private volatile Predicate<JsonNode> refusedRows = row -> false;
    private volatile String refusalMessage = "";

    private FakeBigQuery(HttpServer server) {
        this.server = server;
    }

    public static FakeBigQuery start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            FakeBigQuery fake = new FakeBigQuery(server);
            server.createContext("/", fake::handle);
            server.start();
            return fake;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake BigQuery", e);
        }
    }

    /** The base URL to give the client ({@code BigQueryOptions.setHost}). */
    public String host() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next {@code count} insertAll requests answer {@code status} (e.g. 503 backendError). */
    public void failNextInsertAll(int count, int status) {
        insertAllFailureStatus = status;
        insertAllFailuresLeft.set(count);
    }

    /** The queued insertAll failures that no request has met yet. */
    public int pendingFaults() {
        return insertAllFailuresLeft.get();
    }

    /**
     * Fails unless every queued failure met a request: a fault test whose fault never struck proved
     * nothing, however green it is.
     */
    public void assertAllFaultsHit() {
        int pending = pendingFaults();
        if (pending > 0) {
            throw new AssertionError(pending + " insertAll failures queued but never met by a request");
        }
    }

    /** Rows matching {@code which} are refused as invalid with {@code message}, as BigQuery refuses a bad value. */
    public void refuseRows(Predicate<JsonNode> which, String message) {
        refusalMessage = message;
        refusedRows = which;
    }

    public synchronized List<StoredRow> rows(String dataset, String table) {
        return List.copyOf(rows.getOrDefault(dataset + "." + table, List.of()));
    }

    public synchronized JsonNode table(String dataset, String table) {
        return tables.get(dataset + "." + table);
    }

    /** Every request as "METHOD path", oldest first. */
    public synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    public synchronized long insertAllRequests() {
        return requests.stream().filter(request -> request.endsWith("/insertAll")).count();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String override = exchange.getRequestHeaders().getFirst("X-HTTP-Method-Override");
            if (override != null) {
                method = override;
            }
            String path = exchange.getRequestURI().getPath();
            JsonNode body = readBody(exchange);
            synchronized (this) {
                requests.add(method + " " + path);
            }
            Matcher matcher;
            if ((matcher = INSERT_ALL.matcher(path)).matches() && method.equals("POST")) {
                insertAll(exchange, matcher.group(2), matcher.group(3), body);
            } else if ((matcher = TABLE.matcher(path)).matches()) {
                table(exchange, method, matcher.group(1), matcher.group(2), matcher.group(3), body);
            } else if ((matcher = TABLES.matcher(path)).matches() && method.equals("POST")) {
                insertTable(exchange, matcher.group(1), matcher.group(2), body);
            } else if ((matcher = DATASET.matcher(path)).matches() && method.equals("GET")) {
                getDataset(exchange, matcher.group(1), matcher.group(2));
            } else if ((matcher = DATASETS.matcher(path)).matches() && method.equals("POST")) {
                insertDataset(exchange, matcher.group(1), body);
            } else {
                error(exchange, 404, "notFound", "Not found: " + method + " " + path);
            }
        }
    }

    private synchronized void getDataset(HttpExchange exchange, String project, String dataset) throws IOException {
        ObjectNode stored = datasets.get(dataset);
        if (stored == null) {
            error(exchange, 404, "notFound", "Not found: Dataset " + project + ":" + dataset);
            return;
        }
        answer(exchange, 200, stored);
    }

    private synchronized void insertDataset(HttpExchange exchange, String project, JsonNode body) throws IOException {
        String dataset = body.path("datasetReference").path("datasetId").asText();
        if (datasets.containsKey(dataset)) {
            error(exchange, 409, "duplicate", "Already Exists: Dataset " + project + ":" + dataset);
            return;
        }
        ObjectNode stored = ((ObjectNode) body.deepCopy());
        stored.put("kind", "bigquery#dataset");
        stored.put("id", project + ":" + dataset);
        stored.put("etag", "etag-" + dataset);
        stored.put("location", "US");
        datasets.put(dataset, stored);
        answer(exchange, 200, stored);
    }

    private synchronized void insertTable(HttpExchange exchange, String project, String dataset, JsonNode body)
            throws IOException {
        if (!datasets.containsKey(dataset)) {
            error(exchange, 404, "notFound", "Not found: Dataset " + project + ":" + dataset);
            return;
        }
        String table = body.path("tableReference").path("tableId").asText();
        if (tables.containsKey(dataset + "." + table)) {
            error(exchange, 409, "duplicate", "Already Exists: Table " + project + ":" + dataset + "." + table);
            return;
        }
        ObjectNode stored = ((ObjectNode) body.deepCopy());
        stored.put("kind", "bigquery#table");
        stored.put("id", project + ":" + dataset + "." + table);
        stored.put("etag", "etag-1");
        stored.put("type", body.has("view") ? "VIEW" : "TABLE");
        stored.put("creationTime", String.valueOf(System.currentTimeMillis()));
        tables.put(dataset + "." + table, stored);
        answer(exchange, 200, stored);
    }

    private synchronized void table(HttpExchange exchange, String method, String project, String dataset, String table,
                                    JsonNode body) throws IOException {
        ObjectNode stored = tables.get(dataset + "." + table);
        if (stored == null) {
            error(exchange, 404, "notFound", "Not found: Table " + project + ":" + dataset + "." + table);
            return;
        }
        if (method.equals("GET")) {
            answer(exchange, 200, stored);
        } else if (method.equals("PATCH")) {
            // As BigQuery: a patch may add nullable columns; it may not remove or retype one.
            if (body.has("schema")) {
                Map<String, JsonNode> before = fieldsByName(stored.path("schema"));
                Map<String, JsonNode> after = fieldsByName(body.path("schema"));
                for (Map.Entry<String, JsonNode> field : before.entrySet()) {
                    JsonNode kept = after.get(field.getKey());
                    if (kept == null || !kept.path("type").asText().equals(field.getValue().path("type").asText())) {
                        error(exchange, 400, "invalid", "Provided Schema does not match Table " + table
                                + ". Field " + field.getKey() + " is missing or has changed type.");
                        return;
                    }
                }
                for (Map.Entry<String, JsonNode> field : after.entrySet()) {
                    if (!before.containsKey(field.getKey()) && field.getValue().path("mode").asText("NULLABLE").equals("REQUIRED")) {
                        error(exchange, 400, "invalid", "Field " + field.getKey() + " is missing in new schema");
                        return;
                    }
                }
                stored.set("schema", body.get("schema"));
            }
            stored.put("etag", "etag-" + System.nanoTime());
            answer(exchange, 200, stored);
        } else {
            error(exchange, 405, "invalid", "method " + method + " not supported on a table");
        }
    }

    private void insertAll(HttpExchange exchange, String dataset, String table, JsonNode body) throws IOException {
        if (insertAllFailuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            error(exchange, insertAllFailureStatus, "backendError", "Error encountered during execution. Retrying may solve the problem.");
            return;
        }
        ObjectNode answer = json.createObjectNode();
        answer.put("kind", "bigquery#tableDataInsertAllResponse");
        synchronized (this) {
            ObjectNode stored = tables.get(dataset + "." + table);
            if (stored == null) {
                error(exchange, 404, "notFound", "Not found: Table " + dataset + "." + table);
                return;
            }
            Map<String, JsonNode> fields = fieldsByName(stored.path("schema"));
            boolean skipInvalidRows = body.path("skipInvalidRows").asBoolean(false);
            boolean ignoreUnknownValues = body.path("ignoreUnknownValues").asBoolean(false);
            ArrayNode errors = json.createArrayNode();
            List<StoredRow> valid = new ArrayList<>();
            Set<Integer> validIndexes = new HashSet<>();
            JsonNode requestRows = body.path("rows");
            for (int index = 0; index < requestRows.size(); index++) {
                JsonNode row = requestRows.get(index);
                String problem = problemOf(row.path("json"), fields, ignoreUnknownValues);
                if (problem == null) {
                    valid.add(new StoredRow(row.path("insertId").isMissingNode() ? null : row.path("insertId").asText(),
                            row.path("json")));
                    validIndexes.add(index);
                } else {
                    errors.add(insertError(index, "invalid", problem));
                }
            }
            if (errors.isEmpty() || skipInvalidRows) {
                rows.computeIfAbsent(dataset + "." + table, key -> new ArrayList<>()).addAll(valid);
            } else {
                for (int index : validIndexes) {
                    errors.add(insertError(index, "stopped", ""));
                }
            }
            if (!errors.isEmpty()) {
                answer.set("insertErrors", errors);
            }
        }
        answer(exchange, 200, answer);
    }

    private String problemOf(JsonNode row, Map<String, JsonNode> fields, boolean ignoreUnknownValues) {
        if (refusedRows.test(row)) {
            return refusalMessage;
        }
        for (Map.Entry<String, JsonNode> field : fields.entrySet()) {
            if (field.getValue().path("mode").asText().equals("REQUIRED")
                    && (!row.has(field.getKey()) || row.get(field.getKey()).isNull())) {
                return "Missing required field: " + field.getKey() + ".";
            }
        }
        if (!ignoreUnknownValues) {
            var names = row.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!fields.containsKey(name)) {
                    return "no such field: " + name + ".";
                }
            }
        }
        return null;
    }

    private ObjectNode insertError(int index, String reason, String message) {
        ObjectNode error = json.createObjectNode();
        error.put("index", index);
        ObjectNode detail = error.putArray("errors").addObject();
        detail.put("reason", reason);
        detail.put("location", "");
        detail.put("debugInfo", "");
        detail.put("message", message);
        return error;
    }

    private static Map<String, JsonNode> fieldsByName(JsonNode schema) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        for (JsonNode field : schema.path("fields")) {
            fields.put(field.path("name").asText(), field);
        }
        return fields;
    }

    private JsonNode readBody(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            in = new GZIPInputStream(in);
        }
        byte[] bytes = in.readAllBytes();
        return bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
    }

    private void error(HttpExchange exchange, int status, String reason, String message) throws IOException {
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", status);
        error.put("message", message);
        ObjectNode detail = error.putArray("errors").addObject();
        detail.put("message", message);
        detail.put("domain", "global");
        detail.put("reason", reason);
        error.put("status", switch (status) {
            case 404 -> "NOT_FOUND";
            case 409 -> "ALREADY_EXISTS";
            case 400 -> "INVALID_ARGUMENT";
            case 503 -> "UNAVAILABLE";
            default -> "INTERNAL";
        });
        answer(exchange, status, body);
    }

    private void answer(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** For assertions on the text a row carried. */
    public static String text(JsonNode row, String column) {
        JsonNode value = row.get(column);
        return value == null || value.isNull() ? null : value.asText();
    }
}
