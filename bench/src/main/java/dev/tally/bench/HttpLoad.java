package dev.tally.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

// Why: the client side of phases (a) and (b): it sets up plan and accounts, then drives POST /v1/usage from several threads and keeps only what the server acknowledged.
final class HttpLoad {

    static final String PLAN_ID = "bench-plan";
    static final String METER = "api_calls";
    static final String CURRENCY = "USD";
    private static final BigDecimal UNIT_PRICE = new BigDecimal("0.0015");
    /** Every generated usage event's quantity is drawn uniformly from QUANTITY_MIN to QUANTITY_BOUND - 1. */
    private static final int QUANTITY_MIN = 1;
    private static final int QUANTITY_BOUND = 1000;
    /** The one grant each account gets when a workload gives credit. */
    private static final String GRANT_ID = "prepaid-1";
    /** Latencies are recorded in microseconds up to ten minutes, three significant digits. */
    private static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(10);
    private static final String[] REGIONS = {"eu-west-1", "us-east-1", "ap-south-1", "sa-east-1"};

    /** What one phase measured. */
    record PhaseResult(String name, long requests, long eventsSent, long accepted, long notAccepted,
                       long failedRequests, long elapsedNanos, long endNanos, Histogram latencyMicros, long maxPosition,
                       String firstProblem) {

        double seconds() {
            return elapsedNanos / 1e9;
        }

        double eventsPerSecond() {
            return accepted / seconds();
        }

        double latencyMillis(double percentile) {
            return latencyMicros.getTotalCount() == 0 ? Double.NaN
                    : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final String baseUri;
    /** How the usage phases spread batches over several servers. */
    enum Routing {
        /** Client thread t sends every batch to server {@code t mod n}: an account's batches reach every server. */
        BY_THREAD,
        /** A batch goes to server {@code (its first account / accounts per batch) mod n}: an account always reaches the same one. */
        BY_ACCOUNTS
    }

    /** Where the usage phases send, as {@link #routing} picks among them. */
    private final List<String> usageBaseUris;
    private final Routing routing;
    private final String authorization;

    HttpLoad(HttpClient http, String baseUri, String adminKey) {
        this(http, List.of(baseUri), adminKey, Routing.BY_THREAD);
    }

    /** Setup and balance reads go to the first server; the usage phases spread their batches over all of them. */
    HttpLoad(HttpClient http, List<String> baseUris, String adminKey, Routing routing) {
        if (baseUris.isEmpty()) {
            throw new IllegalArgumentException("no server to send to");
        }
        this.http = http;
        this.baseUri = baseUris.get(0);
        this.usageBaseUris = List.copyOf(baseUris);
        this.routing = routing;
        this.authorization = "Bearer " + adminKey;
    }

    static String accountId(int index) {
        return String.format("acct-%05d", index);
    }

    /** A per_unit plan in force since two hours ago, so that usage of the last hour is rated. */
    void createPlan(Instant effectiveFrom) throws IOException, InterruptedException {
        String body = "{\"planId\":\"" + PLAN_ID + "\",\"currency\":\"" + CURRENCY + "\",\"effectiveFrom\":\""
                + effectiveFrom + "\",\"prices\":[{\"meter\":\"" + METER + "\",\"model\":\"per_unit\",\"unitPrice\":\""
                + UNIT_PRICE.toPlainString() + "\"}]}";
        expect(post("/v1/plans", body), 201, "publish the plan");
    }

    /** What one generated usage event accrues on average under the bench plan. */
    static BigDecimal meanAccrualPerEvent() {
        return UNIT_PRICE.multiply(BigDecimal.valueOf(QUANTITY_MIN + QUANTITY_BOUND - 1)).divide(BigDecimal.valueOf(2));
    }

    /** Opens the accounts from {@code threads} threads (each POST waits for the balance projection). */
    void createAccounts(int accounts, int threads, Instant billingStart) throws Exception {
        createAccounts(accounts, threads, billingStart, index -> null);
    }

    /**
     * Opens the accounts from {@code threads} threads, account {@code index} with the low-balance
     * threshold {@code lowBalanceThreshold.apply(index)} (none where it is null).
     */
    void createAccounts(int accounts, int threads, Instant billingStart, IntFunction<BigDecimal> lowBalanceThreshold)
            throws Exception {
        forEachAccount(accounts, threads, "accounts", index -> {
            String id = accountId(index);
            BigDecimal threshold = lowBalanceThreshold.apply(index);
            String body = "{\"accountId\":\"" + id + "\",\"name\":\"Bench customer " + index + "\",\"currency\":\""
                    + CURRENCY + "\",\"planId\":\"" + PLAN_ID + "\",\"billingStart\":\"" + billingStart + "\""
                    + (threshold == null ? "" : ",\"lowBalanceThreshold\":\"" + threshold.toPlainString() + "\"") + "}";
            expect(post("/v1/accounts", body), 201, "open account " + id);
        });
    }

    /** Grants account {@code index} prepaid credit of {@code amount.apply(index)}, in force from {@code effectiveAt}. */
    void grantCredits(int accounts, int threads, Instant effectiveAt, IntFunction<BigDecimal> amount) throws Exception {
        forEachAccount(accounts, threads, "credits", index -> {
            String id = accountId(index);
            String body = "{\"grantId\":\"" + GRANT_ID + "\",\"amount\":\"" + amount.apply(index).toPlainString()
                    + "\",\"kind\":\"prepaid\",\"effectiveAt\":\"" + effectiveAt + "\"}";
            expect(post("/v1/accounts/" + id + "/credits", body), 201, "grant credit to " + id);
        });
    }

    private interface AccountStep {
        void run(int index) throws IOException, InterruptedException;
    }

    private static void forEachAccount(int accounts, int threads, String name, AccountStep step) throws Exception {
        AtomicInteger next = new AtomicInteger();
        runOnThreads(threads, name, () -> {
            for (int index = next.getAndIncrement(); index < accounts; index = next.getAndIncrement()) {
                step.run(index);
            }
            return null;
        });
    }

    /**
     * Sends {@code totalEvents} usage events in batches of {@code batchSize}. Batch number b covers
     * {@code accountsPerBatch} consecutive accounts starting at {@code b * accountsPerBatch mod accounts}
     * (event k of the batch goes to the (k mod accountsPerBatch)-th of them), so that consecutive,
     * concurrently sent batches touch disjoint accounts and every account receives the same share.
     */
    PhaseResult run(String name, String keyPrefix, long totalEvents, int batchSize, int accounts,
                    int accountsPerBatch, int threads) throws Exception {
        int perBatchAccounts = Math.max(1, Math.min(accountsPerBatch, Math.min(accounts, batchSize)));
        long batches = (totalEvents + batchSize - 1) / batchSize;
        AtomicLong nextBatch = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicLong notAccepted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong maxPosition = new AtomicLong();
        AtomicReference<String> firstProblem = new AtomicReference<>();
        List<Histogram> histograms = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            histograms.add(new Histogram(MAX_LATENCY_MICROS, 3));
        }
        AtomicInteger threadIndex = new AtomicInteger();
        long start = System.nanoTime();
        AtomicLong lastAck = new AtomicLong(start);
        runOnThreads(threads, name, () -> {
            int thread = threadIndex.getAndIncrement();
            Histogram latency = histograms.get(thread);
            URI threadUri = URI.create(usageBaseUris.get(thread % usageBaseUris.size()) + "/v1/usage");
            for (long batch = nextBatch.getAndIncrement(); batch < batches; batch = nextBatch.getAndIncrement()) {
                int size = (int) Math.min(batchSize, totalEvents - batch * batchSize);
                int firstAccount = (int) ((batch * perBatchAccounts) % accounts);
                String body = batchBody(keyPrefix, batch, size, firstAccount, perBatchAccounts, accounts);
                URI usageUri = routing == Routing.BY_THREAD ? threadUri : URI.create(usageBaseUris.get(
                        (firstAccount / perBatchAccounts) % usageBaseUris.size()) + "/v1/usage");
                HttpRequest request = HttpRequest.newBuilder(usageUri)
                        .timeout(Duration.ofMinutes(5))
                        .header("Authorization", authorization)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                long sentAt = System.nanoTime();
                HttpResponse<byte[]> response;
                try {
                    response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                } catch (IOException e) {
                    failed.incrementAndGet();
                    firstProblem.compareAndSet(null, "request failed: " + e);
                    continue;
                }
                long answeredAt = System.nanoTime();
                requests.incrementAndGet();
                sent.addAndGet(size);
                latency.recordValue(Math.min(MAX_LATENCY_MICROS, (answeredAt - sentAt) / 1000));
                if (response.statusCode() != 200) {
                    failed.incrementAndGet();
                    firstProblem.compareAndSet(null, "HTTP " + response.statusCode() + ": "
                            + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
                    continue;
                }
                lastAck.accumulateAndGet(answeredAt, Math::max);
                response.headers().firstValue("Ledger-Position")
                        .ifPresent(position -> maxPosition.accumulateAndGet(Long.parseLong(position), Math::max));
                int ok = 0;
                for (JsonNode result : json.readTree(response.body()).path("results")) {
                    if ("accepted".equals(result.path("status").asText())) {
                        ok++;
                    } else {
                        firstProblem.compareAndSet(null, "not accepted: " + result);
                    }
                }
                accepted.addAndGet(ok);
                notAccepted.addAndGet(size - ok);
            }
            return null;
        });
        Histogram latency = new Histogram(MAX_LATENCY_MICROS, 3);
        histograms.forEach(latency::add);
        return new PhaseResult(name, requests.get(), sent.get(), accepted.get(), notAccepted.get(), failed.get(),
                lastAck.get() - start, lastAck.get(), latency, maxPosition.get(), firstProblem.get());
    }

    /**
     * Waits until a balance read with {@code minPosition} succeeds (the server answers 503 after
     * 5 s, which is retried); returns the nanoTime of the successful answer.
     */
    long awaitBalanceAt(long minPosition, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUri + "/v1/accounts/" + accountId(0)
                        + "/balance?minPosition=" + minPosition))
                .timeout(Duration.ofSeconds(30)).header("Authorization", authorization).GET().build();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return System.nanoTime();
            }
            if (response.statusCode() != 503) {
                throw new IllegalStateException("balance read answered " + response.statusCode() + ": " + response.body());
            }
        }
        return -1;
    }

    private static String batchBody(String keyPrefix, long batch, int size, int firstAccount, int accountsPerBatch,
                                    int accounts) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        StringBuilder body = new StringBuilder(size * 220 + 16).append("{\"events\":[");
        for (int k = 0; k < size; k++) {
            if (k > 0) {
                body.append(',');
            }
            int account = (firstAccount + k % accountsPerBatch) % accounts;
            // within the last hour (a minute of margin so that it stays so while queued)
            Instant timestamp = now.minusMillis(random.nextLong(60_000, 3_600_000));
            body.append("{\"idempotencyKey\":\"").append(keyPrefix).append('-').append(batch).append('-').append(k)
                    .append("\",\"accountId\":\"").append(accountId(account))
                    .append("\",\"meter\":\"").append(METER)
                    .append("\",\"quantity\":\"").append(random.nextInt(QUANTITY_MIN, QUANTITY_BOUND))
                    .append("\",\"timestamp\":\"").append(timestamp)
                    .append("\",\"properties\":{\"region\":\"").append(REGIONS[random.nextInt(REGIONS.length)])
                    .append("\",\"endpoint\":\"/v2/search\"}}");
        }
        return body.append("]}").toString();
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUri + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException("could not " + what + ": HTTP " + response.statusCode() + " " + response.body());
        }
    }

    /** Runs the same task on {@code threads} platform threads and rethrows the first failure. */
    static void runOnThreads(int threads, String name, java.util.concurrent.Callable<Void> task) throws Exception {
        AtomicInteger counter = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads,
                runnable -> new Thread(runnable, "bench-" + name + "-" + counter.incrementAndGet()));
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(task));
            }
            for (Future<Void> future : futures) {
                try {
                    future.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    futures.forEach(other -> other.cancel(true));
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
