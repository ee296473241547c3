package dev.tally.integrations.orb.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tally.integrations.fake.HeldRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A stateful stand-in for Orb's API, faithful to the wire facts in PROTOCOLS section A: bearer
 * auth, RFC 7807 errors, request {@code Idempotency-Key} replay (echoed, {@code Idempotent-Replayed:
 * true}, 409 for another payload or while the first request still runs), customers, ingest with
 * its validation and dedup, and the credit ledger. Faults can be queued for the next requests
 * (429 with {@code Retry-After}, 500 with {@code Transient-Error}, a late answer, a dropped
 * connection), and a test checks that each one struck; a request can be held in flight until the
 * test releases it ({@link #holdNext}). It records every request it received so that tests can
 * assert exact totals.
 */
public final class FakeOrb implements AutoCloseable {

    public static final String API_KEY = "orb-test-key";
    /**
     * The longest a {@link FakeOrbFault.Late} request waits for its resend: only a safety net, so that a
     * client that never times out fails rather than hangs.
     */
    private static final Duration LATE_ANSWER_MAX = Duration.ofSeconds(30);

    /** A request as the fake received it. */
    public record Received(String method, String path, String idempotencyKey, String body) {
    }

    private record Stored(String payload, FakeOrbAnswer answer) {
    }

    private record Hold(String method, String pathPrefix, HeldRequest held) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final FakeOrbState state;
    private final Deque<FakeOrbFault> faults = new ArrayDeque<>();
    private final List<Received> received = new ArrayList<>();
    private final Map<String, Stored> idempotent = new HashMap<>();
    private final Set<String> running = new HashSet<>();
    private final Deque<Hold> holds = new ArrayDeque<>();
    private final Map<String, HeldRequest> heldByKey = new HashMap<>();
    /** Requests held back by {@link FakeOrbFault.Late}, by idempotency key, until a resend is answered. */
    private final Map<String, CountDownLatch> late = new HashMap<>();
    private Predicate<Received> faultFilter = request -> true;

    private FakeOrb(HttpServer server, Clock clock) {
        this.server = server;
        this.state = new FakeOrbState(clock);
    }

    public static FakeOrb start() {
        return start(Clock.systemUTC());
    }

    public static FakeOrb start(Clock clock) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            FakeOrb fake = new FakeOrb(server, clock);
            server.createContext("/", fake::serve);
            server.setExecutor(fake.threads);
            server.start();
            return fake;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake Orb", e);
        }
    }

    /** The base URL to give the client, like {@code https://api.withorb.com/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public FakeOrbState state() {
        return state;
    }

    /** Answers the next {@code count} requests with {@code fault}, in the order queued. */
    public synchronized void failNext(int count, FakeOrbFault fault) {
        for (int i = 0; i < count; i++) {
            faults.add(fault);
        }
    }

    /** Applies queued faults only to requests that match, e.g. only ingest calls. */
    public synchronized void faultsOnly(Predicate<Received> filter) {
        this.faultFilter = filter;
    }

    /**
     * The next POST with an {@code Idempotency-Key} whose method matches and whose path starts with
     * {@code pathPrefix} (e.g. {@code /v1/customers}) takes its key and then waits, before any work,
     * until the test calls {@link HeldRequest#release()}.
     */
    public synchronized HeldRequest holdNext(String method, String pathPrefix) {
        HeldRequest held = new HeldRequest();
        holds.add(new Hold(method, pathPrefix, held));
        return held;
    }

    /** Orb is healthy again: drops every fault still queued. */
    public synchronized void clearFaults() {
        faults.clear();
    }

    /** The queued faults that no request has met yet, oldest first. */
    public synchronized List<FakeOrbFault> pendingFaults() {
        return List.copyOf(faults);
    }

    /**
     * Fails unless every queued fault met a request: a fault test whose fault never struck proved
     * nothing, however green it is.
     */
    public void assertAllFaultsHit() {
        List<FakeOrbFault> pending = pendingFaults();
        if (!pending.isEmpty()) {
            throw new AssertionError("faults queued but never met by a request: " + pending);
        }
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    public synchronized long receivedCount(String method, String pathPrefix) {
        return received.stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).count();
    }

    @Override
    public void close() {
        synchronized (this) {
            late.values().forEach(CountDownLatch::countDown);
            late.clear();
        }
        server.stop(0);
        threads.shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), key, body);
            FakeOrbFault fault;
            synchronized (this) {
                received.add(request);
                fault = faultFilter.test(request) ? faults.poll() : null;
            }
            if (fault instanceof FakeOrbFault.ConnectionReset) {
                return; // closed without a status line
            }
            if (fault instanceof FakeOrbFault.TooManyRequests tooMany) {
                if (tooMany.retryAfterSeconds() >= 0) {
                    exchange.getResponseHeaders().set("Retry-After", Long.toString(tooMany.retryAfterSeconds()));
                }
                send(exchange, key, FakeOrbAnswer.problem(429, "429-too-many-requests", "Too many requests",
                        "Rate limit exceeded"), false);
                return;
            }
            if (fault instanceof FakeOrbFault.ServerError) {
                exchange.getResponseHeaders().set("Transient-Error", "true");
                send(exchange, key, FakeOrbAnswer.problem(500, "500-internal-server-error", "Internal server error",
                        "A transient error occurred"), false);
                return;
            }
            if (fault instanceof FakeOrbFault.Refused refused) {
                send(exchange, key, FakeOrbAnswer.problem(refused.status(), refused.slug(), "Refused",
                        refused.detail()), false);
                return;
            }
            if (fault instanceof FakeOrbFault.Late) {
                awaitAnsweredResend(key);
            }
            if (!API_KEY.equals(bearerOf(exchange))) {
                send(exchange, key, FakeOrbAnswer.problem(401, "401-authentication-error", "Authentication error",
                        "Invalid API key"), false);
                return;
            }
            answer(exchange, request);
            releaseLate(key);
        }
    }

    /** Waits, on a latch rather than for a fixed time, until a resend of the request has been answered. */
    private void awaitAnsweredResend(String key) {
        CountDownLatch answered = new CountDownLatch(1);
        synchronized (this) {
            CountDownLatch earlier = late.put(key == null ? "" : key, answered);
            if (earlier != null) {
                earlier.countDown();
            }
        }
        try {
            answered.await(LATE_ANSWER_MAX.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A request with this key was answered: one held back under the same key may now go on. */
    private synchronized void releaseLate(String key) {
        CountDownLatch held = late.remove(key == null ? "" : key);
        if (held != null) {
            held.countDown();
        }
    }

    /** Request idempotency applies to POST only; GET/PUT/DELETE ignore the key. */
    private void answer(HttpExchange exchange, Received request) throws IOException {
        String key = request.idempotencyKey();
        if (!"POST".equals(request.method()) || key == null) {
            send(exchange, key, route(exchange, request), false);
            return;
        }
        if (key.length() > 64) {
            send(exchange, key, FakeOrbAnswer.invalid("Idempotency-Key is longer than 64 characters", List.of(
                    "Idempotency-Key: at most 64 characters")), false);
            return;
        }
        String payload = request.path() + "\n" + request.body();
        HeldRequest held;
        synchronized (this) {
            Stored stored = idempotent.get(key);
            if (stored != null && !stored.payload().equals(payload)) {
                send(exchange, key, FakeOrbAnswer.problem(409, "409-resource-conflict", "Resource conflict",
                        "Idempotency key reused with a different payload"), false);
                return;
            }
            if (stored != null) {
                send(exchange, key, stored.answer(), true);
                return;
            }
            if (!running.add(key)) {
                Optional.ofNullable(heldByKey.get(key)).ifPresent(HeldRequest::refusedConcurrent);
                send(exchange, key, FakeOrbAnswer.problem(409, "409-resource-conflict", "Resource conflict",
                        "A request with this idempotency key is still in progress"), false);
                return;
            }
            held = takeHold(request);
            if (held != null) {
                heldByKey.put(key, held);
            }
        }
        try {
            if (held != null) {
                held.hold();
            }
            FakeOrbAnswer answer = route(exchange, request);
            synchronized (this) {
                // Only successes are kept for replay: a request that failed validation may be sent again once fixed.
                if (answer.isSuccess()) {
                    idempotent.put(key, new Stored(payload, answer));
                }
            }
            send(exchange, key, answer, false);
        } finally {
            synchronized (this) {
                running.remove(key);
                heldByKey.remove(key);
            }
        }
    }

    private HeldRequest takeHold(Received request) {
        for (Hold hold : holds) {
            if (hold.method().equals(request.method()) && request.path().startsWith(hold.pathPrefix())) {
                holds.remove(hold);
                return hold.held();
            }
        }
        return null;
    }

    private FakeOrbAnswer route(HttpExchange exchange, Received request) {
        String path = request.path();
        if (!path.startsWith("/v1/")) {
            return FakeOrbAnswer.notFound("route " + path);
        }
        String[] parts = path.substring("/v1/".length()).split("/");
        for (int i = 0; i < parts.length; i++) {
            parts[i] = URLDecoder.decode(parts[i], StandardCharsets.UTF_8);
        }
        JsonNode body;
        try {
            body = request.body().isBlank() ? null : FakeOrbAnswer.JSON.readTree(request.body());
        } catch (IOException e) {
            return FakeOrbAnswer.invalid("Body is not JSON", List.of("body: malformed JSON"));
        }
        String method = request.method();
        String query = exchange.getRequestURI().getQuery();
        if (method.equals("POST") && parts.length == 1 && parts[0].equals("ingest")) {
            return state.ingest(body, query != null && query.contains("debug=true"));
        }
        if (method.equals("POST") && parts.length == 2 && parts[0].equals("events") && parts[1].equals("search")) {
            return state.searchEvents(body);
        }
        if (parts[0].equals("customers")) {
            return customers(method, parts, body);
        }
        return FakeOrbAnswer.notFound("route " + method + " " + path);
    }

    private FakeOrbAnswer customers(String method, String[] parts, JsonNode body) {
        if (parts.length == 1 && method.equals("POST")) {
            return state.createCustomer(body);
        }
        boolean external = parts.length >= 3 && parts[1].equals("external_customer_id");
        String id = external ? parts[2] : parts.length >= 2 ? parts[1] : null;
        int rest = external ? 3 : 2;
        if (id == null) {
            return FakeOrbAnswer.notFound("customer");
        }
        String customerId = external ? state.customerIdOfExternal(id) : id;
        if (parts.length == rest && method.equals("GET")) {
            return state.customer(customerId);
        }
        if (parts.length == rest + 2 && parts[rest].equals("credits") && parts[rest + 1].equals("ledger_entry")
                && method.equals("POST")) {
            return state.createLedgerEntry(customerId, body);
        }
        if (parts.length == rest + 1 && parts[rest].equals("credits") && method.equals("GET")) {
            return state.blocks(customerId);
        }
        return FakeOrbAnswer.notFound("route " + method + " customers");
    }

    private static String bearerOf(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        return authorization != null && authorization.startsWith("Bearer ")
                ? authorization.substring("Bearer ".length()) : null;
    }

    private static void send(HttpExchange exchange, String key, FakeOrbAnswer answer, boolean replayed)
            throws IOException {
        byte[] bytes = FakeOrbAnswer.JSON.writeValueAsBytes(answer.body());
        exchange.getResponseHeaders().set("Content-Type", answer.isSuccess() ? "application/json"
                : "application/problem+json");
        if (key != null) {
            exchange.getResponseHeaders().set("Idempotency-Key", key);
        }
        if (replayed) {
            exchange.getResponseHeaders().set("Idempotent-Replayed", "true");
        }
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
