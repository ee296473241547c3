package dev.tally.integrations.orb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RateLimiter;
import dev.failsafe.RetryPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Tally's own small Orb client: bearer auth, JSON, an {@code Idempotency-Key} on every POST,
 * RFC 7807 errors, and bounded retries (Failsafe) on connection failures, timeouts, 408, 409,
 * 429 (honouring {@code Retry-After-Ms}/{@code Retry-After}) and 5xx. Any other 4xx is
 * {@link OrbRejected}; retries exhausted is {@link OrbUnavailable}. Thread-safe.
 */
public final class OrbClient {

    /** Orb publishes no cap on events per ingest request; this is ours (the fake's 413 default too). */
    public static final int INGEST_EVENTS_PER_REQUEST_MAX = 500;

    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final OrbClientSettings settings;
    private final OkHttpClient http;
    private final HttpUrl base;
    /**
     * Map entries in key order: a retried request must be byte-for-byte the first one, or Orb
     * answers 409 to a reused key with "another" payload (Java's own maps iterate in a different
     * order in every JVM).
     */
    // Decimals read exactly: Orb's quantities are compared with the ledger's to the last digit.
    private final ObjectMapper json = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS,
            true).configure(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true);
    private final OrbRetryDelays delays;
    private final RateLimiter<Object> ingestPace;
    private final Clock clock;
    private final OrbRetryListener listener;

    public OrbClient(OrbClientSettings settings, OrbRetryListener listener, Clock clock) {
        this.settings = settings;
        this.listener = listener;
        this.base = HttpUrl.get(settings.baseUrl());
        this.http = new OkHttpClient.Builder()
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.readTimeout())
                .writeTimeout(settings.readTimeout())
                // Our retry policy decides and counts every retry; OkHttp's silent ones would hide them.
                .retryOnConnectionFailure(false)
                .build();
        // Orb limits ingest volume per minute; pacing keeps a backlog (a restart, a fixed outage) from
        // meeting a wall of 429s. Smooth: permits are spread evenly, not granted in a burst each minute.
        this.ingestPace = RateLimiter.smoothBuilder(settings.ingestEventsPerMinute(), Duration.ofMinutes(1)).build();
        this.delays = new OrbRetryDelays(settings.backoffFirst(), settings.backoffMax(), settings.retryAfterMax());
        this.clock = clock;
    }

    public OrbClientSettings settings() {
        return settings;
    }

    /** Creates the customer; a duplicate external id is an {@link OrbRejected} whose problem says so. */
    public OrbCustomer createCustomer(OrbNewCustomer customer) {
        ObjectNode body = json.createObjectNode()
                .put("name", customer.name())
                .put("email", customer.email())
                .put("external_customer_id", customer.externalCustomerId());
        if (customer.currency() != null) {
            body.put("currency", customer.currency());
        }
        ObjectNode metadata = body.putObject("metadata");
        new TreeMap<>(customer.metadata()).forEach(metadata::put);
        String key = OrbIdempotencyKeys.of("customer", customer.externalCustomerId());
        OrbHttpResponse response = post("create customer", url("customers"), body, key);
        return customerOf(read(response.body()));
    }

    public Optional<OrbCustomer> customerByExternalId(String externalCustomerId) {
        HttpUrl url = url("customers", "external_customer_id").newBuilder().addPathSegment(externalCustomerId).build();
        OrbHttpResponse response = execute("fetch customer", new Request.Builder().url(url).get());
        if (response.status() == 404) {
            return Optional.empty();
        }
        requireSuccess("fetch customer", response);
        return Optional.of(customerOf(read(response.body())));
    }

    /**
     * Sends one batch of at most {@link #INGEST_EVENTS_PER_REQUEST_MAX} events. A 4xx naming
     * failed events comes back as a result, not an exception: the caller decides what to do with
     * each event.
     */
    public OrbIngestResult ingest(List<OrbEvent> events) {
        return ingest(events, "ingest", "");
    }

    /**
     * Sends events again after someone fixed why Orb refused them: under a request key of its own
     * ({@code attempt} names the retry), because Orb keeps a request key's first answer for 48 hours
     * and would otherwise answer the old refusal. The events' own keys still make Orb count each once.
     */
    public OrbIngestResult ingestAgain(List<OrbEvent> events, String attempt) {
        return ingest(events, "ingest-again", attempt + "\n");
    }

    private OrbIngestResult ingest(List<OrbEvent> events, String purpose, String salt) {
        if (events.isEmpty() || events.size() > INGEST_EVENTS_PER_REQUEST_MAX) {
            throw new IllegalArgumentException("1.." + INGEST_EVENTS_PER_REQUEST_MAX + " events per request, got "
                    + events.size());
        }
        ObjectNode body = json.createObjectNode();
        ArrayNode array = body.putArray("events");
        for (OrbEvent event : events) {
            ObjectNode node = array.addObject()
                    .put("idempotency_key", event.idempotencyKey())
                    .put("external_customer_id", event.externalCustomerId())
                    .put("event_name", event.eventName())
                    .put("timestamp", event.timestamp().toString());
            ObjectNode properties = node.putObject("properties");
            new TreeMap<>(event.properties()).forEach((name, value) -> properties.set(name, json.valueToTree(value)));
        }
        String text = write(body);
        awaitIngestPermits(events.size());
        // The events' own keys are the real dedup; the request key only makes a retried request a replay.
        String key = OrbIdempotencyKeys.ofContent(purpose, salt + text);
        OrbHttpResponse response = execute("ingest", new Request.Builder().url(url("ingest"))
                .header("Idempotency-Key", key).post(RequestBody.create(text, JSON_TYPE)));
        if (response.isSuccess()) {
            return OrbIngestResult.ALL_INGESTED;
        }
        JsonNode answer = readQuietly(response.body());
        JsonNode failed = answer == null ? null : answer.get("validation_failed");
        if (response.status() >= 400 && response.status() < 500 && failed != null && failed.isArray()
                && !failed.isEmpty()) {
            Map<String, List<String>> reasons = new LinkedHashMap<>();
            for (JsonNode failure : failed) {
                List<String> errors = new ArrayList<>();
                failure.path("validation_errors").forEach(error -> errors.add(error.asText()));
                reasons.put(failure.path("idempotency_key").asText(), errors);
            }
            return new OrbIngestResult(reasons);
        }
        throw new OrbRejected("ingest", problemOf(response));
    }

    /** Event ids (the ingest idempotency keys) Orb's search takes per request. */
    public static final int SEARCH_EVENT_IDS_MAX = 500;

    /**
     * The events Orb holds under these idempotency keys whose timestamps fall in
     * {@code [timeframeStart, timeframeEnd)}; keys Orb does not know are simply absent. A read, so
     * it carries no {@code Idempotency-Key}: Orb would replay a search of the same ids for 48 hours
     * instead of looking again.
     */
    public List<OrbStoredEvent> searchEvents(List<String> idempotencyKeys, java.time.Instant timeframeStart,
                                             java.time.Instant timeframeEnd) {
        if (idempotencyKeys.isEmpty() || idempotencyKeys.size() > SEARCH_EVENT_IDS_MAX) {
            throw new IllegalArgumentException("1.." + SEARCH_EVENT_IDS_MAX + " event ids per search, got "
                    + idempotencyKeys.size());
        }
        ObjectNode body = json.createObjectNode()
                .put("timeframe_start", timeframeStart.toString())
                .put("timeframe_end", timeframeEnd.toString());
        ArrayNode ids = body.putArray("event_ids");
        idempotencyKeys.forEach(ids::add);
        String text = write(body);
        OrbHttpResponse response = execute("search events", new Request.Builder()
                .url(url("events").newBuilder().addPathSegment("search").build())
                .post(RequestBody.create(text, JSON_TYPE)));
        requireSuccess("search events", response);
        List<OrbStoredEvent> found = new ArrayList<>();
        for (JsonNode event : read(response.body()).path("data")) {
            Map<String, Object> properties = new LinkedHashMap<>();
            event.path("properties").fields().forEachRemaining(property -> properties.put(property.getKey(),
                    property.getValue().isNumber() ? property.getValue().decimalValue()
                            : property.getValue().isBoolean() ? property.getValue().booleanValue()
                            : property.getValue().asText()));
            found.add(new OrbStoredEvent(event.path("id").asText(), event.path("external_customer_id").asText(null),
                    event.path("event_name").asText(), java.time.OffsetDateTime.parse(event.path("timestamp").asText())
                    .toInstant(), event.path("deprecated").asBoolean(false), properties));
        }
        return found;
    }

    private void awaitIngestPermits(int events) {
        try {
            ingestPace.acquirePermits(events);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new OrbUnavailable("ingest interrupted while pacing to " + settings.ingestEventsPerMinute()
                    + " events a minute", interrupted);
        }
    }

    /**
     * Adds an entry to the customer's credit ledger, addressed by external id; {@code body} holds
     * {@code entry_type} and that type's fields.
     */
    public OrbLedgerEntry createLedgerEntry(String externalCustomerId, Map<String, Object> body,
                                           String idempotencyKey) {
        HttpUrl url = url("customers", "external_customer_id").newBuilder().addPathSegment(externalCustomerId)
                .addPathSegment("credits").addPathSegment("ledger_entry").build();
        ObjectNode node = json.createObjectNode();
        body.forEach((name, value) -> node.set(name, value instanceof BigDecimal amount
                ? node.numberNode(amount) : json.valueToTree(value)));
        OrbHttpResponse response = post("create ledger entry", url, node, idempotencyKey);
        JsonNode entry = read(response.body());
        return new OrbLedgerEntry(entry.path("id").asText(), entry.path("entry_type").asText(),
                entry.path("credit_block").path("id").asText(null));
    }

    private OrbHttpResponse post(String operation, HttpUrl url, ObjectNode body, String idempotencyKey) {
        OrbHttpResponse response = execute(operation, new Request.Builder().url(url)
                .header("Idempotency-Key", idempotencyKey)
                .post(RequestBody.create(write(body), JSON_TYPE)));
        requireSuccess(operation, response);
        return response;
    }

    private void requireSuccess(String operation, OrbHttpResponse response) {
        if (!response.isSuccess()) {
            throw new OrbRejected(operation, problemOf(response));
        }
    }

    /** Runs the request under the retry policy; what is still transient after the last retry is {@link OrbUnavailable}. */
    private OrbHttpResponse execute(String operation, Request.Builder request) {
        Request built = request.header("Authorization", "Bearer " + settings.apiKey())
                .header("Accept", "application/json").build();
        RetryPolicy<OrbHttpResponse> policy = RetryPolicy.<OrbHttpResponse>builder()
                .handle(IOException.class, UncheckedIOException.class)
                .handleResultIf(OrbHttpResponse::isTransient)
                .withMaxRetries(settings.retriesMax())
                .withDelayFn(context -> delays.after(context.getAttemptCount(), context.getLastResult(),
                        clock.instant()))
                .onRetry(event -> listener.retrying(operation, reasonOf(event.getLastResult(),
                        event.getLastException())))
                .build();
        OrbHttpResponse response;
        try {
            response = Failsafe.with(policy).get(() -> call(built));
        } catch (FailsafeException e) {
            throw new OrbUnavailable(operation + " failed after " + settings.retriesMax() + " retries: "
                    + e.getCause(), e.getCause());
        } catch (UncheckedIOException e) {
            throw new OrbUnavailable(operation + " failed after " + settings.retriesMax() + " retries: "
                    + e.getCause(), e.getCause());
        }
        if (response.isTransient()) {
            throw new OrbUnavailable(operation + " still answered " + response.status() + " after "
                    + settings.retriesMax() + " retries", null);
        }
        return response;
    }

    private OrbHttpResponse call(Request request) throws IOException {
        try (Response response = http.newCall(request).execute()) {
            return new OrbHttpResponse(response.code(), response.body().string(), response.header("Retry-After"),
                    response.header("Retry-After-Ms"));
        }
    }

    private static String reasonOf(OrbHttpResponse response, Throwable failure) {
        if (response != null) {
            return Integer.toString(response.status());
        }
        return failure instanceof java.net.SocketTimeoutException ? "timeout" : "io";
    }

    private OrbProblem problemOf(OrbHttpResponse response) {
        JsonNode body = readQuietly(response.body());
        if (body == null || !body.isObject()) {
            return new OrbProblem(null, response.status(), "HTTP " + response.status(), null, List.of());
        }
        List<String> errors = new ArrayList<>();
        body.path("validation_errors").forEach(error -> errors.add(error.isTextual() ? error.asText()
                : error.toString()));
        return new OrbProblem(body.path("type").asText(null), body.path("status").asInt(response.status()),
                body.path("title").asText(null), body.path("detail").asText(null), errors);
    }

    private static OrbCustomer customerOf(JsonNode node) {
        return new OrbCustomer(node.path("id").asText(), node.path("external_customer_id").asText(null));
    }

    private HttpUrl url(String... segments) {
        HttpUrl.Builder builder = base.newBuilder();
        for (String segment : segments) {
            builder.addPathSegment(segment);
        }
        return builder.build();
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private JsonNode read(String body) {
        JsonNode node = readQuietly(body);
        if (node == null) {
            throw new OrbUnavailable("Orb answered with a body that is not JSON", null);
        }
        return node;
    }

    private JsonNode readQuietly(String body) {
        try {
            return body == null || body.isBlank() ? null : json.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
