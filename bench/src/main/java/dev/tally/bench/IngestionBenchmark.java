package dev.tally.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Why: one run that measures the server's usage ingestion against its own baselines on one
 * database, so that the figures are comparable and say how much the ledger costs.
 *
 * <p>Run from the repository root:
 * <pre>
 * mvn -B -q package -DskipTests &amp;&amp; mvn -B -q -pl bench exec:java -Dexec.args="--events 1000000"
 * </pre>
 *
 * <p>In one embedded PostgreSQL (fsync and synchronous commit on, data in a temporary directory):
 * <ol type="a">
 *   <li>the server jar as a child process; a per_unit plan and {@code --accounts} accounts; then
 *       {@code --events} usage events in POST /v1/usage batches of {@code --batch-size} from
 *       {@code --threads} client threads, and the projection lag after the last acknowledgement;</li>
 *   <li>{@code --single-sample} events with one event per request, same threads, as a rate;</li>
 *   <li>plain JDBC batched inserts of as many rows of the same shape and size into a copy of
 *       events.domain_event_entry in schema {@code bench_baseline}, same threads and batch size,
 *       one commit per batch (run after the server is stopped, so it has the machine to itself).</li>
 * </ol>
 *
 * <p>Batch composition: each batch of 500 covers 50 consecutive accounts (10 events each),
 * rotating by 50 accounts per batch. The server splits a batch per account and records each
 * part as one command and one transaction, so the accounts per batch decide the number of
 * transactions: 1000 accounts per batch would measure one-event transactions (phase b's case),
 * one account per batch would serialise a whole batch on one aggregate. 50 is what a gateway
 * that flushes a collection window of its busiest tenants sends. Rotating means the 8 batches
 * in flight touch disjoint accounts (8 x 50 &lt; 1000), so the run measures throughput, not
 * contention on one aggregate, and every account gets the same share.
 */
@Command(name = "ingestion-benchmark", mixinStandardHelpOptions = true,
        description = "Tally usage ingestion: HTTP batches (a) vs single events (b) vs raw JDBC inserts (c).")
public final class IngestionBenchmark implements Callable<Integer> {

    @Option(names = "--events", description = "events for (a) and (c) (default ${DEFAULT-VALUE})")
    long events = 1_000_000;

    @Option(names = "--batch-size", description = "events per request in (a), rows per commit in (c) (default ${DEFAULT-VALUE})")
    int batchSize = 500;

    @Option(names = "--accounts", description = "accounts (default ${DEFAULT-VALUE})")
    int accounts = 1000;

    @Option(names = "--accounts-per-batch", description = "accounts one batch covers (default ${DEFAULT-VALUE})")
    int accountsPerBatch = 50;

    @Option(names = "--threads", description = "client threads (default ${DEFAULT-VALUE})")
    int threads = 8;

    @Option(names = "--single-sample", description = "events sent one per request in (b) (default ${DEFAULT-VALUE})")
    long singleSample = 20_000;

    @Option(names = "--server-jar", description = "the server jar (default ${DEFAULT-VALUE})")
    Path serverJar = Path.of(System.getProperty("bench.serverJar", "command-api/target/tally.jar"));

    @Option(names = "--output-dir", description = "where ingestion-result.json and the server log go (default ${DEFAULT-VALUE})")
    Path outputDir = Path.of(System.getProperty("bench.outputDir", "bench/target"));

    @Option(names = "--lag-timeout-seconds", description = "longest wait for the projections to catch up (default ${DEFAULT-VALUE})")
    long lagTimeoutSeconds = 1800;

    public static void main(String[] args) {
        int exit = new CommandLine(new IngestionBenchmark()).execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (events < 1 || batchSize < 1 || batchSize > 1000 || accounts < 1 || threads < 1 || singleSample < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "events, accounts, threads >= 1; batch-size 1-1000; single-sample >= 0");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("startedAt", Instant.now().toString());
        result.put("events", events);
        result.put("batchSize", batchSize);
        result.put("accounts", accounts);
        result.put("accountsPerBatch", Math.min(accountsPerBatch, Math.min(accounts, batchSize)));
        result.put("threads", threads);
        result.put("singleSample", singleSample);
        String adminKey = "bench-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        Path serverLog = outputDir.resolve("bench-server.log");
        HttpLoad.PhaseResult a;
        HttpLoad.PhaseResult b = null;
        JdbcBaseline.Result c;
        long balanceLagNanos;
        Map<String, Long> tokenReachedAt;
        Optional<MachineCpu> cpuA;
        Optional<MachineCpu> cpuAWithCatchUp;
        Optional<MachineCpu> cpuC;
        System.out.printf("Tally ingestion benchmark: %d events, batches of %d over %d of %d accounts, %d threads%n",
                events, batchSize, result.get("accountsPerBatch"), accounts, threads);
        try (BenchDatabase database = BenchDatabase.start()) {
            System.out.printf("embedded PostgreSQL on 127.0.0.1:%d, data in %s%n", database.port(), database.dataDir());
            JdbcBaseline.Template template;
            try (ServerProcess server = ServerProcess.start(serverJar, database, adminKey, serverLog);
                 Connection sql = database.superuserConnection()) {
                System.out.printf("server %s starting at %s (log %s)%n", serverJar, server.baseUri(), serverLog);
                server.awaitReady(http, Duration.ofMinutes(5));
                HttpLoad load = new HttpLoad(http, server.baseUri(), adminKey);
                Instant since = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
                load.createPlan(since);
                long setupStart = System.nanoTime();
                load.createAccounts(accounts, threads, since);
                System.out.printf("plan and %d accounts created in %.1f s%n", accounts, (System.nanoTime() - setupStart) / 1e9);
                long positionBefore = maxGlobalIndex(sql);

                System.out.println("(a) HTTP batches ...");
                Optional<MachineCpu> beforeA = MachineCpu.now();
                a = load.run("a", "a", events, batchSize, accounts, accountsPerBatch, threads);
                cpuA = spentSince(beforeA);
                report(a);
                try (Connection own = database.superuserConnection()) {
                    // The warehouse export runs beside ingestion in the same server; how far it kept up shows what it cost.
                    long exported = new ProcessorTokens().positionOf(own, "warehouse-export");
                    result.put("warehouseExportPositionAtEndOfA", exported);
                    System.out.printf(Locale.ROOT, "warehouse export at the end of (a): position %d of %d%n", exported,
                            a.maxPosition());
                }
                System.out.println("projection lag ...");
                ExecutorService poller = Executors.newSingleThreadExecutor();
                try {
                    long position = a.maxPosition();
                    long timeout = Duration.ofSeconds(lagTimeoutSeconds).toNanos();
                    Future<Map<String, Long>> tokens = poller.submit(() -> {
                        try (Connection own = database.superuserConnection()) {
                            return new ProcessorTokens().awaitAll(own, position, 20, timeout);
                        }
                    });
                    long balanceAt = load.awaitBalanceAt(position, Duration.ofNanos(timeout));
                    balanceLagNanos = balanceAt < 0 ? -1 : balanceAt - a.endNanos();
                    tokenReachedAt = tokens.get();
                    // Only a projection that caught up has a catch-up to count.
                    cpuAWithCatchUp = balanceLagNanos < 0 ? Optional.empty() : spentSince(beforeA);
                } finally {
                    poller.shutdownNow();
                }
                storedEvents(sql, positionBefore, result);

                if (singleSample > 0) {
                    System.out.println("(b) HTTP single events ...");
                    b = load.run("b", "b", singleSample, 1, accounts, 1, threads);
                    report(b);
                }
                template = JdbcBaseline.template(sql);
            }
            System.out.println("server stopped; (c) raw JDBC batches ...");
            JdbcBaseline baseline = new JdbcBaseline(database);
            baseline.createTable();
            Optional<MachineCpu> beforeC = MachineCpu.now();
            c = baseline.run(template, events, batchSize, accounts, accountsPerBatch, threads);
            cpuC = spentSince(beforeC);
            System.out.printf("(c) %d rows in %.2f s%n", c.rows(), c.elapsedNanos() / 1e9);
            try (Connection sql = database.superuserConnection()) {
                result.put("avgRowBytesServer", averageRowBytes(sql, "events.domain_event_entry",
                        "WHERE payloadType LIKE '%.Usage%Recorded'"));
                result.put("avgRowBytesBaseline", averageRowBytes(sql, JdbcBaseline.SCHEMA + ".domain_event_entry", ""));
            }
        }

        double rateA = a.eventsPerSecond();
        double rateB = b == null ? Double.NaN : b.eventsPerSecond();
        double rateC = c.eventsPerSecond();
        putPhase(result, "A", a);
        if (b != null) {
            putPhase(result, "B", b);
        }
        result.put("eventsPerSecondC", round(rateC));
        result.put("rowsC", c.rows());
        result.put("secondsC", round(c.elapsedNanos() / 1e9));
        result.put("ratioAtoC", round(rateA / rateC));
        result.put("ratioAtoB", b == null ? null : round(rateA / rateB));
        result.put("maxLedgerPositionA", a.maxPosition());
        cpuA.ifPresent(cpu -> {
            result.put("machineCpuMicrosPerEventA", round(cpu.busyMicrosPer(a.accepted())));
            result.put("hostStealShareA", round(cpu.stolenShare()));
        });
        cpuAWithCatchUp.ifPresent(cpu -> result.put("machineCpuMicrosPerEventAWithCatchUp",
                round(cpu.busyMicrosPer(a.accepted()))));
        cpuC.ifPresent(cpu -> {
            result.put("machineCpuMicrosPerRowC", round(cpu.busyMicrosPer(c.rows())));
            result.put("hostStealShareC", round(cpu.stolenShare()));
        });
        result.put("projectionLagMsBalances", millis(balanceLagNanos));
        for (String processor : ProcessorTokens.PROCESSORS) {
            long at = tokenReachedAt.get(processor);
            result.put("tokenLagMs", at < 0 ? null : Math.max(0, millis(at - a.endNanos())));
        }

        System.out.println();
        System.out.println("=== Tally ingestion ===");
        System.out.printf(Locale.ROOT, "(a) HTTP, batches of %d     : %,12.0f events/s  p50 %8.1f ms  p99 %8.1f ms  (%d accepted, %d not)%n",
                batchSize, rateA, a.latencyMillis(50), a.latencyMillis(99), a.accepted(), a.notAccepted() + a.failedRequests());
        if (b != null) {
            System.out.printf(Locale.ROOT, "(b) HTTP, one per request   : %,12.0f events/s  p50 %8.1f ms  p99 %8.1f ms  (%d accepted, %d not)%n",
                    rateB, b.latencyMillis(50), b.latencyMillis(99), b.accepted(), b.notAccepted() + b.failedRequests());
        }
        System.out.printf(Locale.ROOT, "(c) raw JDBC, batches of %d : %,12.0f events/s%n", batchSize, rateC);
        System.out.printf(Locale.ROOT, "a/c = %.3f   a/b = %.1f%n", rateA / rateC, rateA / rateB);
        System.out.printf(Locale.ROOT, "projection lag after the last ack of (a), position %d: %s ms until a balance read with"
                        + " minPosition answered; %s ms until the projection processor's token passed it%n", a.maxPosition(),
                result.get("projectionLagMsBalances"), result.get("tokenLagMs"));
        if (cpuA.isPresent() && cpuC.isPresent()) {
            String catchUp = cpuAWithCatchUp.map(cpu -> String.format(Locale.ROOT, ", %.0f with the projection's catch-up",
                    cpu.busyMicrosPer(a.accepted()))).orElse(" (the projection did not catch up)");
            System.out.printf(Locale.ROOT, "machine CPU (server, PostgreSQL and client together): (a) %.0f us per event%s;"
                            + " (c) %.0f us per row; host steal %.1f%% during (a), %.1f%% during (c)%n",
                    cpuA.get().busyMicrosPer(a.accepted()), catchUp, cpuC.get().busyMicrosPer(c.rows()),
                    100 * cpuA.get().stolenShare(), 100 * cpuC.get().stolenShare());
        }
        Files.createDirectories(outputDir);
        Path output = outputDir.resolve("ingestion-result.json");
        Files.writeString(output, new ObjectMapper().writeValueAsString(result) + "\n", StandardCharsets.UTF_8);
        System.out.println("written to " + output.toAbsolutePath().normalize());
        return a.accepted() > 0 ? 0 : 1;
    }

    private static void report(HttpLoad.PhaseResult phase) {
        System.out.printf(Locale.ROOT, "(%s) %d requests, %d events sent, %d accepted, %d not accepted, %d failed requests in %.2f s%n",
                phase.name(), phase.requests(), phase.eventsSent(), phase.accepted(), phase.notAccepted(),
                phase.failedRequests(), phase.seconds());
        if (phase.firstProblem() != null) {
            System.out.println("    first problem: " + abbreviate(phase.firstProblem()));
        }
    }

    private static void putPhase(Map<String, Object> result, String suffix, HttpLoad.PhaseResult phase) {
        result.put("eventsPerSecond" + suffix, round(phase.eventsPerSecond()));
        result.put("accepted" + suffix, phase.accepted());
        result.put("notAccepted" + suffix, phase.notAccepted());
        result.put("failedRequests" + suffix, phase.failedRequests());
        result.put("seconds" + suffix, round(phase.seconds()));
        result.put("latencyP50Ms" + suffix, round(phase.latencyMillis(50)));
        result.put("latencyP99Ms" + suffix, round(phase.latencyMillis(99)));
        result.put("latencyMaxMs" + suffix, round(phase.latencyMicros().getMaxValue() / 1000.0));
    }

    private static Optional<MachineCpu> spentSince(Optional<MachineCpu> start) {
        return start.flatMap(begin -> MachineCpu.now().map(end -> end.since(begin)));
    }

    private static long maxGlobalIndex(Connection sql) throws SQLException {
        try (Statement statement = sql.createStatement();
             ResultSet row = statement.executeQuery("SELECT coalesce(max(globalIndex), 0) FROM events.domain_event_entry")) {
            row.next();
            return row.getLong(1);
        }
    }

    /**
     * How many events the server stored for phase (a), how many of them hold usage, and how many
     * usage events those hold (a stored batch holds one per entry).
     */
    private static void storedEvents(Connection sql, long after, Map<String, Object> result) throws SQLException {
        try (Statement statement = sql.createStatement();
             ResultSet row = statement.executeQuery("""
                     SELECT count(*), count(*) FILTER (WHERE payloadType LIKE '%%.Usage%%Recorded'),
                            coalesce(sum(CASE WHEN payloadType LIKE '%%.UsageBatchRecorded'
                                              THEN json_array_length(payload -> 'usages')
                                              WHEN payloadType LIKE '%%.UsageRecorded' THEN 1 ELSE 0 END), 0)
                     FROM events.domain_event_entry WHERE globalIndex > %d""".formatted(after))) {
            row.next();
            result.put("storedEventsA", row.getLong(1));
            result.put("storedUsageRowsA", row.getLong(2));
            result.put("storedUsageEventsA", row.getLong(3));
        }
    }

    private static Double averageRowBytes(Connection sql, String table, String where) throws SQLException {
        try (Statement statement = sql.createStatement();
             ResultSet row = statement.executeQuery("SELECT coalesce(avg(pg_column_size(t.*)), 0) FROM (SELECT * FROM "
                     + table + " " + where + " ORDER BY globalIndex DESC LIMIT 10000) t")) {
            row.next();
            return round(row.getDouble(1));
        }
    }

    private static Long millis(long nanos) {
        return nanos < 0 ? null : nanos / 1_000_000;
    }

    private static Double round(double value) {
        return Double.isFinite(value) ? Math.round(value * 1000) / 1000.0 : null;
    }

    private static String abbreviate(String text) {
        return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }
}
