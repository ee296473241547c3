package dev.tally.integrations.stripe.fake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tally.integrations.fake.HeldRequest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stateful Stripe v1 API on the JDK's HTTP server, for stripe-java pointed at {@link #baseUrl()}.
 * It keeps customers, invoice items and invoices; honours idempotency keys as Stripe does (the first
 * answer, 500s included, is replayed; the same key with other parameters is an
 * {@code idempotency_error}, and so, with a 409, is the same key while its first request still
 * runs); answers a request the OpenAPI document does not know with a 400 and remembers it
 * ({@link #specViolations()}); injects {@link Fault}s on demand; and holds a request in flight
 * until the test releases it ({@link #holdNext}).
 */
public final class FakeStripe implements AutoCloseable {

    public static final String API_KEY = "sk_test_fake_tally";
    /**
     * The longest a {@link Fault#TIMEOUT_AFTER_WORK} holds its connection: only a safety net, so that a
     * client without a read timeout fails rather than hangs. A client that times out, as it must, has
     * resent the request or moved on long before.
     */
    private static final Duration HELD_ANSWER_MAX = Duration.ofMinutes(1);
    /** The {@code Retry-After} of a {@link Fault#RATE_LIMITED_RETRY_AFTER}, in whole seconds as HTTP has it. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    private record FaultRule(String method, String pathFragment, Fault fault) {

        @Override
        public String toString() {
            return fault + " on " + method + " *" + pathFragment + "*";
        }
    }

    private record HoldRule(String method, String pathFragment, HeldRequest held) {
    }

    private record Answer(int status, String body) {
    }

    private record StoredAnswer(String fingerprint, Answer answer) {
    }

    /** Thrown inside the handler to drop the connection without an answer. */
    private static final class DropConnection extends RuntimeException {
        DropConnection() {
            super("connection dropped on purpose", null, false, false);
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final StripeSpec spec = StripeSpec.shared();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "fake-stripe");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong ids = new AtomicLong(1000);
    private final Object lock = new Object();

    private final Map<String, ObjectNode> customers = new LinkedHashMap<>();
    private final Map<String, ObjectNode> invoiceItems = new LinkedHashMap<>();
    private final Map<String, ObjectNode> invoices = new LinkedHashMap<>();
    private final Map<String, String> paymentIntentOfInvoice = new LinkedHashMap<>();
    private final Map<String, ObjectNode> refunds = new LinkedHashMap<>();
    private final Map<String, StoredAnswer> idempotency = new LinkedHashMap<>();
    private final Deque<FaultRule> faults = new ArrayDeque<>();
    private final Deque<HoldRule> holds = new ArrayDeque<>();
    /** Idempotency keys whose first request is still running; nothing is stored under them yet. */
    private final Set<String> inFlight = new HashSet<>();
    private final Map<String, HeldRequest> heldByKey = new HashMap<>();
    private final List<String> specViolations = new ArrayList<>();
    private final List<String> requests = new ArrayList<>();
    private final List<ObjectNode> events = new ArrayList<>();
    /** Answers held back by {@link Fault#TIMEOUT_AFTER_WORK}, by idempotency key, until the key comes again. */
    private final Map<String, List<CountDownLatch>> heldAnswers = new HashMap<>();
    private volatile boolean declinePayments;
    private volatile Duration retryAfter = DEFAULT_RETRY_AFTER;
    private int successfulCharges;

    private FakeStripe() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static FakeStripe start() {
        try {
            return new FakeStripe();
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    // ---- switches and observations -------------------------------------------------------------

    /** The next request whose method matches and whose path contains {@code pathFragment} meets {@code fault}. */
    public void failNext(String method, String pathFragment, Fault fault) {
        synchronized (lock) {
            faults.add(new FaultRule(method, pathFragment, fault));
        }
    }

    /** Forgets faults and holds that no request has met yet (between tests sharing one fake). */
    public void clearFaults() {
        synchronized (lock) {
            faults.clear();
            holds.clear();
        }
    }

    /** The queued faults that no request has met yet, oldest first. */
    public List<String> pendingFaults() {
        synchronized (lock) {
            return faults.stream().map(FaultRule::toString).toList();
        }
    }

    /**
     * Fails unless every queued fault met a request: a fault test whose fault never struck proved
     * nothing, however green it is.
     */
    public void assertAllFaultsHit() {
        List<String> pending = pendingFaults();
        if (!pending.isEmpty()) {
            throw new AssertionError("faults queued but never met by a request: " + pending);
        }
    }

    /**
     * The next request whose method matches and whose path contains {@code pathFragment} takes its
     * idempotency key and then waits, before any work, until the test calls {@link HeldRequest#release()}.
     */
    public HeldRequest holdNext(String method, String pathFragment) {
        HeldRequest held = new HeldRequest();
        synchronized (lock) {
            holds.add(new HoldRule(method, pathFragment, held));
        }
        return held;
    }

    /** Whether paying an invoice fails with a declined card (true) or succeeds (false, the default). */
    public void declinePayments(boolean decline) {
        declinePayments = decline;
    }

    /** The {@code Retry-After} that {@link Fault#RATE_LIMITED_RETRY_AFTER} sends, rounded down to whole seconds. */
    public void retryAfter(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    /** Charges that moved money, across all invoices: "exactly one charge" is checked here. */
    public int successfulCharges() {
        synchronized (lock) {
            return successfulCharges;
        }
    }

    public List<String> specViolations() {
        synchronized (lock) {
            return List.copyOf(specViolations);
        }
    }

    /** Every request as "METHOD path", in arrival order. */
    public List<String> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    public Optional<JsonNode> customerOfAccount(String accountId) {
        synchronized (lock) {
            return customers.values().stream()
                    .filter(c -> accountId.equals(c.path("metadata").path("tally_account_id").asText(null)))
                    .map(c -> (JsonNode) c.deepCopy()).findFirst();
        }
    }

    public List<JsonNode> invoicesOfLedgerInvoice(String ledgerInvoiceId) {
        synchronized (lock) {
            return invoices.values().stream()
                    .filter(i -> ledgerInvoiceId.equals(i.path("metadata").path("tally_invoice_id").asText(null)))
                    .map(i -> (JsonNode) withLines(i.deepCopy())).toList();
        }
    }

    public String paymentIntentOf(String stripeInvoiceId) {
        synchronized (lock) {
            return paymentIntentOfInvoice.get(stripeInvoiceId);
        }
    }

    /** The events Stripe would have sent so far, of {@code type}, oldest first. */
    public List<ObjectNode> events(String type) {
        synchronized (lock) {
            return events.stream().filter(e -> type.equals(e.path("type").asText())).map(ObjectNode::deepCopy).toList();
        }
    }

    // ---- things that happen at Stripe without an API call from Tally -----------------------------

    /**
     * A refund of {@code amount} minor units of the charge behind {@code paymentIntentId}: a charge.refunded
     * event which, as in current API versions, does not list the refunds (GET /v1/refunds?charge= does).
     */
    public ObjectNode refund(String paymentIntentId, long amount, String currency) {
        synchronized (lock) {
            ObjectNode charge = StripeFixtures.seed("charge");
            charge.put("id", newId("ch")).put("amount", amount).put("amount_refunded", amount).put("refunded", true)
                    .put("currency", currency).put("payment_intent", paymentIntentId);
            charge.remove("refunds");
            ObjectNode refund = StripeFixtures.seed("refund");
            refund.put("id", newId("re")).put("amount", amount).put("currency", currency).put("status", "succeeded")
                    .put("payment_intent", paymentIntentId).put("charge", charge.path("id").asText());
            refunds.put(refund.path("id").asText(), refund);
            return event("charge.refunded", charge);
        }
    }

    public ObjectNode dispute(String paymentIntentId, long amount, String currency, String reason) {
        synchronized (lock) {
            ObjectNode dispute = StripeFixtures.seed("dispute");
            dispute.put("id", newId("dp")).put("amount", amount).put("currency", currency).put("reason", reason)
                    .put("payment_intent", paymentIntentId).put("charge", newId("ch"));
            return event("charge.dispute.created", dispute);
        }
    }

    /** A PaymentIntent paid outside any invoice; {@code accountId} null for one Tally did not create. */
    public ObjectNode paymentIntentSucceeded(String accountId, long amount, String currency) {
        synchronized (lock) {
            ObjectNode intent = paymentIntent(amount, currency);
            if (accountId != null) {
                intent.putObject("metadata").put("tally_account_id", accountId);
            }
            return event("payment_intent.succeeded", intent);
        }
    }

    /** {@code Stripe-Signature} for {@code payload} as Stripe computes it. */
    public static String signatureHeader(String payload, String secret, Instant at) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] signature = mac.doFinal((at.getEpochSecond() + "." + payload).getBytes(StandardCharsets.UTF_8));
            return "t=" + at.getEpochSecond() + ",v1=" + HexFormat.of().formatHex(signature);
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** POSTs {@code payload} to {@code url} signed with {@code secret} at {@code at}; returns the status and body. */
    public static HttpResponse<String> deliver(String url, String payload, String secret, Instant at) {
        return post(url, payload, signatureHeader(payload, secret, at));
    }

    public static HttpResponse<String> post(String url, String payload, String signatureHeader) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(payload));
        if (signatureHeader != null) {
            request.header("Stripe-Signature", signatureHeader);
        }
        try {
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    public String toJson(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            heldAnswers.values().forEach(latches -> latches.forEach(CountDownLatch::countDown));
            heldAnswers.clear();
        }
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- the HTTP side -------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            FormParams params = FormParams.parse("GET".equals(method) || "DELETE".equals(method)
                    ? exchange.getRequestURI().getRawQuery() : body);
            Answer answer = answer(exchange, method, path, params);
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Request-Id", "req_" + ids.incrementAndGet());
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (DropConnection dropped) {
            // Closing the exchange without an answer makes the JDK server close the socket: the client
            // sees the connection end mid-request.
            throw new IOException(dropped);
        }
    }

    private Answer answer(HttpExchange exchange, String method, String path, FormParams params) {
        String key = "POST".equals(method) ? exchange.getRequestHeaders().getFirst("Idempotency-Key") : null;
        Fault fault;
        synchronized (lock) {
            requests.add(method + " " + path);
            // The client sent the key again: it gave up waiting, so the answer it timed out on may now drop.
            List<CountDownLatch> heldAnswer = key == null ? null : heldAnswers.remove(key);
            if (heldAnswer != null) {
                heldAnswer.forEach(CountDownLatch::countDown);
            }
            Optional<String> violation = spec.violation(method, path, params.topLevelNames());
            if (violation.isPresent()) {
                specViolations.add(violation.get());
                return error(400, "invalid_request_error", "parameter_unknown", violation.get());
            }
            if (!("Bearer " + API_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                return error(401, "invalid_request_error", null, "Invalid API Key provided");
            }
            fault = takeFault(method, path);
        }
        if (fault == Fault.RATE_LIMITED) {
            exchange.getResponseHeaders().set("Stripe-Should-Retry", "false");
            return error(429, "invalid_request_error", "rate_limit", "Too many requests");
        }
        if (fault == Fault.RATE_LIMITED_RETRY_AFTER) {
            exchange.getResponseHeaders().set("Retry-After", Long.toString(retryAfter.toSeconds()));
            return error(429, "invalid_request_error", "rate_limit", "Too many requests");
        }
        if (fault == Fault.CONNECTION_RESET) {
            throw new DropConnection();
        }
        String fingerprint = method + " " + path + " " + params.values();
        Answer answer = null;
        HeldRequest held = null;
        synchronized (lock) {
            StoredAnswer stored = key == null ? null : idempotency.get(key);
            if (stored != null) {
                if (!stored.fingerprint().equals(fingerprint)) {
                    return error(400, "idempotency_error", null, "Keys for idempotent requests can only be used"
                            + " with the same parameters they were first used with.");
                }
                exchange.getResponseHeaders().set("Idempotent-Replayed", "true");
                answer = stored.answer();
            } else {
                if (key != null && !inFlight.add(key)) {
                    Optional.ofNullable(heldByKey.get(key)).ifPresent(HeldRequest::refusedConcurrent);
                    // Nothing is saved for a conflicting request, so the client may retry it (stripe-java does).
                    // Stripe's error-code list names this conflict idempotency_key_in_use.
                    return error(409, "idempotency_error", "idempotency_key_in_use", "There is currently another"
                            + " in-progress request using this idempotency key (that probably means you submitted"
                            + " twice, and the other request is still going through). Please try again later.");
                }
                held = takeHold(method, path);
                if (held != null && key != null) {
                    heldByKey.put(key, held);
                }
            }
        }
        if (answer == null) {
            answer = run(method, path, params, fault, key, fingerprint, held);
        }
        if (fault == Fault.TIMEOUT_AFTER_WORK) {
            holdUntilResent(key);
            throw new DropConnection();
        }
        return answer;
    }

    /** Runs the endpoint once the request holds its key, and saves the answer as Stripe does. */
    private Answer run(String method, String path, FormParams params, Fault fault, String key, String fingerprint,
                       HeldRequest held) {
        try {
            if (held != null) {
                held.hold();
            }
            synchronized (lock) {
                Answer answer = fault == Fault.SERVER_ERROR ? error(500, "api_error", null, "An unknown error occurred")
                        : route(method, path, params);
                // Stripe saves the answer once the endpoint ran; failed validation (400) is not saved.
                if (key != null && answer.status() != 400) {
                    idempotency.put(key, new StoredAnswer(fingerprint, answer));
                }
                return answer;
            }
        } finally {
            synchronized (lock) {
                if (key != null) {
                    inFlight.remove(key);
                    heldByKey.remove(key);
                }
            }
        }
    }

    /**
     * Keeps the connection open without an answer until the client sends the same idempotency key again
     * (its read timeout struck and it retries) or the fake closes. A latch, not a fixed stall: the
     * answer is late by exactly as long as the client waits, whatever its timeout.
     */
    private void holdUntilResent(String key) {
        CountDownLatch resent = new CountDownLatch(1);
        synchronized (lock) {
            heldAnswers.computeIfAbsent(key == null ? "" : key, any -> new ArrayList<>()).add(resent);
        }
        try {
            resent.await(HELD_ANSWER_MAX.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private FaultRule matchingFault(String method, String path) {
        for (FaultRule rule : faults) {
            if (rule.method().equals(method) && path.contains(rule.pathFragment())) {
                return rule;
            }
        }
        return null;
    }

    private Fault takeFault(String method, String path) {
        FaultRule rule = matchingFault(method, path);
        if (rule == null) {
            return null;
        }
        faults.remove(rule);
        return rule.fault();
    }

    private HeldRequest takeHold(String method, String path) {
        for (HoldRule rule : holds) {
            if (rule.method().equals(method) && path.contains(rule.pathFragment())) {
                holds.remove(rule);
                return rule.held();
            }
        }
        return null;
    }

    private Answer route(String method, String path, FormParams params) {
        String[] segments = path.split("/");
        // segments: "", "v1", resource, id?, action?
        String resource = segments.length > 2 ? segments[2] : "";
        String id = segments.length > 3 ? segments[3] : null;
        String action = segments.length > 4 ? segments[4] : null;
        return switch (method + " " + resource + (id == null ? "" : "/id") + (action == null ? "" : "/" + action)) {
            case "POST customers" -> createCustomer(params);
            case "GET customers/id" -> found(customers.get(id), "customer", id);
            case "POST invoiceitems" -> createInvoiceItem(params);
            case "GET invoiceitems" -> list("/v1/invoiceitems", invoiceItems.values().stream()
                    .filter(i -> params.get("invoice") == null || params.get("invoice").equals(i.path("invoice").asText()))
                    .toList(), params);
            case "GET refunds" -> list("/v1/refunds", refunds.values().stream()
                    .filter(r -> params.get("charge") == null || params.get("charge").equals(r.path("charge").asText()))
                    .toList(), params);
            case "POST invoices" -> createInvoice(params);
            case "GET invoices" -> list("/v1/invoices", newestFirst(invoices.values().stream()
                    .filter(i -> params.get("customer") == null || params.get("customer").equals(i.path("customer").asText()))
                    .map(this::withLines).toList()), params);
            case "GET invoices/id" -> invoices.containsKey(id) ? ok(expanded(invoices.get(id), params))
                    : found(null, "invoice", id);
            case "POST invoices/id/finalize" -> finalizeInvoice(id);
            case "POST invoices/id/pay" -> pay(id);
            default -> error(404, "invalid_request_error", "resource_missing", "Unrecognized request URL (" + method
                    + ": " + path + ") in this fake");
        };
    }

    // ---- resources -------------------------------------------------------------------------------

    private Answer createCustomer(FormParams params) {
        String email = params.get("email");
        if (email != null && !email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            return error(400, "invalid_request_error", "email_invalid", "Invalid email address: " + email);
        }
        ObjectNode customer = StripeFixtures.seed("customer");
        customer.put("id", newId("cus")).put("created", Instant.now().getEpochSecond());
        customer.put("name", params.get("name")).put("email", params.get("email"));
        customer.set("metadata", metadata(params));
        customers.put(customer.path("id").asText(), customer);
        return ok(customer);
    }

    private Answer createInvoiceItem(FormParams params) {
        String customer = params.get("customer");
        if (!customers.containsKey(customer)) {
            return error(400, "invalid_request_error", "resource_missing", "No such customer: '" + customer + "'");
        }
        String invoiceId = params.get("invoice");
        if (invoiceId != null && (!invoices.containsKey(invoiceId)
                || !"draft".equals(invoices.get(invoiceId).path("status").asText()))) {
            return error(400, "invalid_request_error", "invoice_not_editable", "Invoice " + invoiceId + " is not a draft");
        }
        if (params.get("amount") == null || params.get("currency") == null) {
            return error(400, "invalid_request_error", "parameter_missing", "amount and currency are required");
        }
        ObjectNode item = StripeFixtures.seed("invoiceitem");
        item.put("id", newId("ii")).put("customer", customer).put("invoice", invoiceId)
                .put("amount", Long.parseLong(params.get("amount"))).put("currency", params.get("currency"))
                .put("description", params.get("description")).put("quantity", 1);
        item.set("metadata", metadata(params));
        invoiceItems.put(item.path("id").asText(), item);
        return ok(item);
    }

    private Answer createInvoice(FormParams params) {
        String customer = params.get("customer");
        if (!customers.containsKey(customer)) {
            return error(400, "invalid_request_error", "resource_missing", "No such customer: '" + customer + "'");
        }
        ObjectNode invoice = StripeFixtures.seed("invoice");
        invoice.put("id", newId("in")).put("customer", customer).put("status", "draft")
                .put("created", Instant.now().getEpochSecond())
                .put("collection_method", params.get("collection_method") == null ? "charge_automatically"
                        : params.get("collection_method"))
                .put("auto_advance", Boolean.parseBoolean(params.get("auto_advance")))
                .put("description", params.get("description")).put("currency", "usd")
                .put("amount_due", 0).put("amount_paid", 0).put("amount_remaining", 0).put("total", 0)
                .put("subtotal", 0).put("attempt_count", 0).put("attempted", false).putNull("number");
        invoice.set("metadata", metadata(params));
        invoice.remove("payments");
        invoices.put(invoice.path("id").asText(), invoice);
        return ok(withLines(invoice));
    }

    private Answer finalizeInvoice(String id) {
        ObjectNode invoice = invoices.get(id);
        if (invoice == null) {
            return found(null, "invoice", id);
        }
        if (!"draft".equals(invoice.path("status").asText())) {
            return error(400, "invalid_request_error", "invoice_unexpected_state", "This invoice is already finalized");
        }
        long total = itemsOf(id).stream().mapToLong(i -> i.path("amount").asLong()).sum();
        itemsOf(id).stream().findFirst().ifPresent(i -> invoice.put("currency", i.path("currency").asText()));
        invoice.put("status", "open").put("total", total).put("subtotal", total).put("amount_due", total)
                .put("amount_remaining", total).put("number", "FAKE-" + ids.incrementAndGet());
        event("invoice.finalized", withLines(invoice.deepCopy()));
        return ok(withLines(invoice));
    }

    private Answer pay(String id) {
        ObjectNode invoice = invoices.get(id);
        if (invoice == null) {
            return found(null, "invoice", id);
        }
        if (!"open".equals(invoice.path("status").asText())) {
            return error(400, "invalid_request_error", "invoice_not_open", "Invoice is " + invoice.path("status").asText());
        }
        invoice.put("attempt_count", invoice.path("attempt_count").asLong() + 1).put("attempted", true);
        if (declinePayments) {
            event("invoice.payment_failed", withLines(invoice.deepCopy()));
            ObjectNode body = errorBody("card_error", "card_declined", "Your card was declined.");
            ((ObjectNode) body.path("error")).put("decline_code", "generic_decline");
            return new Answer(402, toJson(body));
        }
        return ok(withLines(charge(invoice)));
    }

    /** The customer paid an open invoice another way (hosted page, new card): Stripe charges and says so. */
    public ObjectNode payOutOfBand(String stripeInvoiceId) {
        synchronized (lock) {
            ObjectNode invoice = invoices.get(stripeInvoiceId);
            if (invoice == null || !"open".equals(invoice.path("status").asText())) {
                throw new IllegalStateException("invoice " + stripeInvoiceId + " is not open");
            }
            invoice.put("attempt_count", invoice.path("attempt_count").asLong() + 1).put("attempted", true);
            charge(invoice);
            return events("invoice.paid").stream()
                    .filter(e -> stripeInvoiceId.equals(e.path("data").path("object").path("id").asText()))
                    .reduce((first, second) -> second).orElseThrow();
        }
    }

    private ObjectNode charge(ObjectNode invoice) {
        String id = invoice.path("id").asText();
        long due = invoice.path("amount_due").asLong();
        ObjectNode intent = paymentIntent(due, invoice.path("currency").asText());
        paymentIntentOfInvoice.put(id, intent.path("id").asText());
        successfulCharges++;
        invoice.put("status", "paid").put("amount_paid", due).put("amount_remaining", 0);
        event("payment_intent.succeeded", intent);
        event("invoice.paid", withLines(invoice.deepCopy()));
        return invoice;
    }

    private ObjectNode paymentIntent(long amount, String currency) {
        ObjectNode intent = StripeFixtures.seed("payment_intent");
        intent.put("id", newId("pi")).put("amount", amount).put("amount_received", amount).put("currency", currency)
                .put("status", "succeeded").put("latest_charge", newId("ch"));
        intent.putObject("metadata");
        return intent;
    }

    private static List<ObjectNode> newestFirst(List<ObjectNode> oldestFirst) {
        List<ObjectNode> reversed = new ArrayList<>(oldestFirst);
        Collections.reverse(reversed);
        return reversed;
    }

    private List<ObjectNode> itemsOf(String invoiceId) {
        return invoiceItems.values().stream().filter(i -> invoiceId.equals(i.path("invoice").asText())).toList();
    }

    /** The invoice with its current lines; payments only when asked for with {@code expand[]=payments}. */
    private ObjectNode withLines(ObjectNode invoice) {
        ObjectNode lines = invoice.putObject("lines");
        lines.put("object", "list").put("has_more", false).put("url", "/v1/invoices/" + invoice.path("id").asText() + "/lines");
        ArrayNode data = lines.putArray("data");
        for (ObjectNode item : itemsOf(invoice.path("id").asText())) {
            ObjectNode line = json.createObjectNode();
            line.put("id", "il_" + item.path("id").asText()).put("object", "line_item")
                    .put("amount", item.path("amount").asLong()).put("currency", item.path("currency").asText())
                    .put("description", item.path("description").asText()).put("invoice", invoice.path("id").asText())
                    .put("quantity", 1);
            line.set("metadata", item.path("metadata").deepCopy());
            data.add(line);
        }
        return invoice;
    }

    private ObjectNode expanded(ObjectNode invoice, FormParams params) {
        ObjectNode copy = withLines(invoice.deepCopy());
        if (params.expands("payments")) {
            ObjectNode payments = copy.putObject("payments");
            payments.put("object", "list").put("has_more", false).put("url", "/v1/invoice_payments");
            ArrayNode data = payments.putArray("data");
            String intent = paymentIntentOfInvoice.get(invoice.path("id").asText());
            if (intent != null) {
                ObjectNode payment = StripeFixtures.seed("invoice_payment");
                payment.put("id", "inpay_" + intent).put("invoice", invoice.path("id").asText())
                        .put("amount_paid", invoice.path("amount_paid").asLong()).put("currency", invoice.path("currency").asText())
                        .put("status", "paid");
                payment.putObject("payment").put("type", "payment_intent").put("payment_intent", intent);
                data.add(payment);
            }
        }
        return copy;
    }

    private ObjectNode metadata(FormParams params) {
        ObjectNode metadata = json.createObjectNode();
        params.under("metadata").forEach(metadata::put);
        return metadata;
    }

    private ObjectNode event(String type, ObjectNode object) {
        ObjectNode event = StripeFixtures.seed("event");
        event.put("id", newId("evt")).put("type", type).put("created", Instant.now().getEpochSecond())
                .put("api_version", "2026-07-29.dahlia").put("livemode", false).put("pending_webhooks", 1);
        event.putObject("data").set("object", object.deepCopy());
        events.add(event);
        return event.deepCopy();
    }

    private Answer list(String url, List<ObjectNode> items, FormParams params) {
        int limit = params.get("limit") == null ? 10 : Integer.parseInt(params.get("limit"));
        ObjectNode list = json.createObjectNode();
        list.put("object", "list").put("url", url).put("has_more", items.size() > limit);
        ArrayNode data = list.putArray("data");
        items.stream().limit(limit).forEach(item -> data.add(item.deepCopy()));
        return ok(list);
    }

    private Answer found(ObjectNode object, String type, String id) {
        return object == null ? error(404, "invalid_request_error", "resource_missing", "No such " + type + ": '" + id + "'")
                : ok(object);
    }

    private Answer ok(JsonNode object) {
        return new Answer(200, toJson(object));
    }

    private Answer error(int status, String type, String code, String message) {
        return new Answer(status, toJson(errorBody(type, code, message)));
    }

    private ObjectNode errorBody(String type, String code, String message) {
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("type", type).put("message", message);
        if (code != null) {
            error.put("code", code);
        }
        return body;
    }

    private String newId(String prefix) {
        return prefix + "_fake" + ids.incrementAndGet();
    }
}
