package dev.tally.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
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
 * <p>Run from the repository root (see the README's Benchmarks):
 * <pre>
 * mvn -B -q -DskipTests -P benchmark package -Dexec.args="--events 1000000"
 * </pre>
 *
 * <p>Each {@link Workload} runs in a database of its own on one embedded PostgreSQL (fsync and
 * synchronous commit on, data in a temporary directory):
 * <ol type="a">
 *   <li>the server jar as a child process; a per_unit plan and {@code --accounts} accounts (with
 *       prepaid credit in the gateway workload); then {@code --events} usage events in POST /v1/usage
 *       batches of {@code --batch-size} from {@code --threads} client threads, and the projection lag
 *       after the last acknowledgement;</li>
 *   <li>(batched workload) {@code --single-sample} events with one event per request, same threads;</li>
 *   <li>plain JDBC batched inserts of one row per usage event, of the server's size, into a copy of
 *       events.domain_event_entry, same threads and batch size, one commit per batch;</li>
 *   <li>plain JDBC inserts of the rows the server stored for (a), as it stored them (see
 *       {@link StoredRowsBaseline}): one transaction per account part of a request.</li>
 * </ol>
 * (c) and (d) run after the server is stopped, so they have the machine to itself. Then it checks in
 * SQL that every accepted usage event is stored exactly once, and exits with 1 where one is not.
 *
 * <p>Batched workload: each batch of 500 covers 50 consecutive accounts (10 events each), rotating
 * by 50 accounts per batch. The server splits a batch per account and records each part as one
 * command and one transaction, so the accounts per batch decide the number of transactions: 1000
 * accounts per batch would measure one-event transactions (the gateway's case), one account per
 * batch would serialise a whole batch on one aggregate. Rotating means the 8 batches in flight touch
 * disjoint accounts (8 x 50 &lt; 1000), so the run measures throughput, not contention on one
 * aggregate, and every account gets the same share. The gateway workload's batches cover 500
 * accounts each, one event each, so the batches in flight share accounts.
 */
@Command(name = "ingestion-benchmark", mixinStandardHelpOptions = true,
        description = "Tally usage ingestion: HTTP batches (a) and single events (b) vs raw JDBC inserts of a row per"
                + " usage event (c) and of the rows as the server stores them (d).")
public final class IngestionBenchmark implements Callable<Integer> {

    @Option(names = "--workload", split = ",", description = "workloads to run, in order: BATCHED, GATEWAY"
            + " (default ${DEFAULT-VALUE})", defaultValue = "BATCHED,GATEWAY")
    List<Workload> workloads;

    @Option(names = "--events", description = "usage events for (a) and (c) of each workload (default ${DEFAULT-VALUE})")
    long events = 1_000_000;

    @Option(names = "--batch-size", description = "events per request in (a), rows per commit in (c) (default ${DEFAULT-VALUE})")
    int batchSize = 500;

    @Option(names = "--accounts", description = "accounts (default ${DEFAULT-VALUE}; the gateway workload needs"
            + " at least --batch-size)")
    int accounts = 1000;

    @Option(names = "--accounts-per-batch", description = "accounts one batch covers in the batched workload"
            + " (default ${DEFAULT-VALUE})")
    int accountsPerBatch = 50;

    @Option(names = "--threads", description = "client threads, and writer threads of (c) and (d) (default ${DEFAULT-VALUE})")
    int threads = 8;

    @Option(names = "--single-sample", description = "events sent one per request in (b) (default ${DEFAULT-VALUE})")
    long singleSample = 20_000;

    @Option(names = "--server-jar", description = "the server jar (default ${DEFAULT-VALUE})")
    Path serverJar = Path.of(System.getProperty("bench.serverJar", "command-api/target/tally.jar"));

    @Option(names = "--output-dir", description = "where ingestion-result.json and the server logs go (default ${DEFAULT-VALUE})")
    Path outputDir = Path.of(System.getProperty("bench.outputDir", "bench/target"));

    @Option(names = "--lag-timeout-seconds", description = "longest wait for the projections to catch up (default ${DEFAULT-VALUE})")
    long lagTimeoutSeconds = 1800;

    /** What one workload measured: its figures for the result file, its summary lines, and the exactly-once checks. */
    private record Measured(Workload workload, Map<String, Object> figures, List<String> summary, List<StoredOnce> checks,
                            long acceptedA) {
        /** A run that stored nothing measured nothing; one that lost or doubled usage measured a broken ledger. */
        boolean valid() {
            return acceptedA > 0 && checks.stream().allMatch(StoredOnce::holds);
        }
    }

    public static void main(String[] args) {
        int exit = new CommandLine(new IngestionBenchmark()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (events < 1 || batchSize < 1 || batchSize > 1000 || accounts < 1 || threads < 1 || singleSample < 0
                || workloads.isEmpty()) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "events, accounts, threads >= 1; batch-size 1-1000; single-sample >= 0; at least one workload");
        }
        if (workloads.contains(Workload.GATEWAY) && accounts < batchSize) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "the gateway workload sends one event per account per request: --accounts must be at least --batch-size");
        }
        if (workloads.size() != workloads.stream().distinct().count()) {
            throw new CommandLine.ParameterException(new CommandLine(this), "each workload at most once");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("startedAt", Instant.now().toString());
        result.put("events", events);
        result.put("batchSize", batchSize);
        result.put("accounts", accounts);
        result.put("threads", threads);
        result.put("singleSample", singleSample);
        String adminKey = "bench-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        List<Measured> measured = new ArrayList<>();
        try (BenchDatabase database = BenchDatabase.start()) {
            System.out.printf("embedded PostgreSQL on 127.0.0.1:%d, data in %s%n", database.port(), database.dataDir());
            for (Workload workload : workloads) {
                measured.add(measure(database, workload, http, adminKey));
            }
        }
        Map<String, Object> byWorkload = new LinkedHashMap<>();
        for (Measured workload : measured) {
            byWorkload.put(workload.workload().label(), workload.figures());
            System.out.println();
            workload.summary().forEach(System.out::println);
        }
        result.put("workloads", byWorkload);
        Files.createDirectories(outputDir);
        Path output = outputDir.resolve("ingestion-result.json");
        Files.writeString(output, new ObjectMapper().writeValueAsString(result) + "\n", StandardCharsets.UTF_8);
        System.out.println("written to " + output.toAbsolutePath().normalize());
        boolean valid = measured.stream().allMatch(Measured::valid);
        if (!valid) {
            System.out.println("FAILED: a workload had no accepted usage, or not every accepted usage event is stored"
                    + " exactly once (see above)");
        }
        return valid ? 0 : 1;
    }

    /** One workload from an empty database: the server's phases, the checks, then the baselines with the server stopped. */
    private Measured measure(BenchDatabase database, Workload workload, HttpClient http, String adminKey) throws Exception {
        String databaseName = workload.databaseName();
        database.createDatabase(databaseName);
        int accountsPerRequest = workload.accountsPerRequest(accountsPerBatch, batchSize, accounts);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("accountsPerRequest", accountsPerRequest);
        Path serverLog = outputDir.resolve("bench-server-" + workload.label() + ".log");
        System.out.printf("%n[%s] %d events, batches of %d over %d of %d accounts, %d threads%s%n", workload.label(),
                events, batchSize, accountsPerRequest, accounts, threads,
                workload.grantsCredit() ? ", prepaid credit (one account in " + Workload.LOW_CREDIT_EVERY + " runs low)" : "");
        HttpLoad.PhaseResult a;
        HttpLoad.PhaseResult b = null;
        long positionBefore;
        long positionAfterA;
        long balanceLagNanos;
        Map<String, Long> tokenReachedAt;
        Optional<MachineCpu> cpuA;
        Optional<MachineCpu> cpuAWithCatchUp;
        try (ServerProcess server = ServerProcess.start(serverJar, database.jdbcUrl(databaseName), adminKey, serverLog,
                Map.of()); Connection sql = database.superuserConnection(databaseName)) {
            System.out.printf("server %s starting at %s (log %s)%n", serverJar, server.baseUri(), serverLog);
            server.awaitReady(http, Duration.ofMinutes(5));
            HttpLoad load = new HttpLoad(http, server.baseUri(), adminKey);
            Instant since = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
            load.createPlan(since);
            long setupStart = System.nanoTime();
            if (workload.grantsCredit()) {
                load.createAccounts(accounts, threads, since, index -> Workload.lowBalanceThreshold(index, events, accounts));
                load.grantCredits(accounts, threads, since, index -> Workload.grant(index, events, accounts));
            } else {
                load.createAccounts(accounts, threads, since);
            }
            System.out.printf("plan and %d accounts created in %.1f s%n", accounts, (System.nanoTime() - setupStart) / 1e9);
            positionBefore = maxGlobalIndex(sql);

            System.out.println("(a) HTTP batches ...");
            Optional<MachineCpu> beforeA = MachineCpu.now();
            a = load.run("a", "a", events, batchSize, accounts, accountsPerRequest, threads);
            cpuA = spentSince(beforeA);
            // Every request of (a) was answered, so each of its transactions committed and holds a position up to here.
            positionAfterA = maxGlobalIndex(sql);
            report(a);
            long exported = new ProcessorTokens().positionOf(sql, "warehouse-export");
            // The warehouse export runs beside ingestion in the same server; how far it kept up shows what it cost.
            figures.put("warehouseExportPositionAtEndOfA", exported);
            System.out.printf(Locale.ROOT, "warehouse export at the end of (a): position %d of %d%n", exported, a.maxPosition());
            System.out.println("projection lag ...");
            ExecutorService poller = Executors.newSingleThreadExecutor();
            try {
                long position = a.maxPosition();
                long timeout = Duration.ofSeconds(lagTimeoutSeconds).toNanos();
                Future<Map<String, Long>> tokens = poller.submit(() -> {
                    try (Connection own = database.superuserConnection(databaseName)) {
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
            if (workload.measuresSingleEvents() && singleSample > 0) {
                System.out.println("(b) HTTP single events ...");
                b = load.run("b", "b", singleSample, 1, accounts, 1, threads);
                report(b);
            }
        }

        JdbcBaseline.Template template;
        StoredRowsBaseline.Stored storedA;
        List<StoredOnce> checks = new ArrayList<>();
        try (Connection sql = database.superuserConnection(databaseName)) {
            checks.add(StoredOnce.check(sql, "a-", a.accepted()));
            if (b != null) {
                checks.add(StoredOnce.check(sql, "b-", b.accepted()));
            }
            storedEvents(sql, positionBefore, positionAfterA, figures);
            template = JdbcBaseline.template(sql, positionBefore, positionAfterA);
            storedA = StoredRowsBaseline.read(sql, positionBefore, positionAfterA);
        }
        checks.forEach(check -> System.out.println("stored exactly once: " + check.describe()));

        JdbcBaseline jdbc = new JdbcBaseline(database, databaseName);
        jdbc.createTable(JdbcBaseline.ROW_PER_USAGE_EVENT);
        jdbc.createTable(StoredRowsBaseline.ROWS_AS_STORED);
        System.out.println("server stopped; (c) raw JDBC, a row per usage event ...");
        Optional<MachineCpu> beforeC = MachineCpu.now();
        JdbcBaseline.Result c = jdbc.run(template, events, batchSize, accounts, accountsPerRequest, threads);
        Optional<MachineCpu> cpuC = spentSince(beforeC);
        System.out.printf(Locale.ROOT, "(c) %d rows in %.2f s%n", c.rows(), c.elapsedNanos() / 1e9);
        System.out.printf("(d) raw JDBC, the rows of (a) as the server stored them: %d transactions, %d rows, %d usage events ...%n",
                storedA.parts().size(), storedA.rows(), storedA.usageEvents());
        Optional<MachineCpu> beforeD = MachineCpu.now();
        StoredRowsBaseline.Result d = new StoredRowsBaseline(jdbc).run(storedA, threads);
        Optional<MachineCpu> cpuD = spentSince(beforeD);
        System.out.printf(Locale.ROOT, "(d) %d transactions, %d rows, %d usage events in %.2f s%n", d.transactions(),
                d.rows(), d.usageEvents(), d.elapsedNanos() / 1e9);
        try (Connection sql = database.superuserConnection(databaseName)) {
            figures.put("avgUsageRowBytesServerA", averageUsageRowBytes(sql, "events.domain_event_entry",
                    "globalIndex > " + positionBefore + " AND globalIndex <= " + positionAfterA));
            figures.put("avgRowBytesC", averageUsageRowBytes(sql, JdbcBaseline.ROW_PER_USAGE_EVENT, "true"));
            figures.put("avgUsageRowBytesD", averageUsageRowBytes(sql, StoredRowsBaseline.ROWS_AS_STORED, "true"));
        }

        double rateA = a.eventsPerSecond();
        double rateB = b == null ? Double.NaN : b.eventsPerSecond();
        double rateC = c.eventsPerSecond();
        double rateD = d.usageEventsPerSecond();
        putPhase(figures, "A", a);
        if (b != null) {
            putPhase(figures, "B", b);
        }
        figures.put("eventsPerSecondC", round(rateC));
        figures.put("rowsC", c.rows());
        figures.put("secondsC", round(c.elapsedNanos() / 1e9));
        figures.put("usageEventsPerSecondD", round(rateD));
        figures.put("usageEventsD", d.usageEvents());
        figures.put("rowsD", d.rows());
        figures.put("transactionsD", d.transactions());
        figures.put("secondsD", round(d.elapsedNanos() / 1e9));
        figures.put("ratioAtoC", round(rateA / rateC));
        figures.put("ratioAtoD", round(rateA / rateD));
        figures.put("ratioAtoB", b == null ? null : round(rateA / rateB));
        figures.put("maxLedgerPositionA", a.maxPosition());
        cpuA.ifPresent(cpu -> {
            figures.put("machineCpuMicrosPerUsageEventA", round(cpu.busyMicrosPer(a.accepted())));
            figures.put("hostStealShareA", round(cpu.stolenShare()));
        });
        cpuAWithCatchUp.ifPresent(cpu -> figures.put("machineCpuMicrosPerUsageEventAWithCatchUp",
                round(cpu.busyMicrosPer(a.accepted()))));
        cpuC.ifPresent(cpu -> {
            figures.put("machineCpuMicrosPerUsageEventC", round(cpu.busyMicrosPer(c.rows())));
            figures.put("hostStealShareC", round(cpu.stolenShare()));
        });
        cpuD.ifPresent(cpu -> {
            figures.put("machineCpuMicrosPerUsageEventD", round(cpu.busyMicrosPer(d.usageEvents())));
            figures.put("hostStealShareD", round(cpu.stolenShare()));
        });
        figures.put("projectionLagMsBalances", millis(balanceLagNanos));
        for (String processor : ProcessorTokens.PROCESSORS) {
            long at = tokenReachedAt.get(processor);
            figures.put("tokenLagMs", at < 0 ? null : Math.max(0, millis(at - a.endNanos())));
        }
        for (StoredOnce check : checks) {
            String phase = check.keyPrefix().substring(0, 1).toUpperCase(Locale.ROOT);
            figures.put("storedExactlyOnce" + phase, check.holds());
            figures.put("exactlyOnceStored" + phase, check.stored());
            figures.put("exactlyOnceKeys" + phase, check.keys());
            figures.put("exactlyOnceKeysStoredMoreThanOnce" + phase, check.keysStoredMoreThanOnce());
        }

        List<String> summary = new ArrayList<>();
        summary.add(String.format(Locale.ROOT, "=== Tally ingestion, %s workload: batches of %d over %d of %d accounts%s ===",
                workload.label(), batchSize, accountsPerRequest, accounts,
                workload.grantsCredit() ? ", prepaid credit" : ""));
        summary.add(String.format(Locale.ROOT, "(a) HTTP, batches of %d              : %,10.0f usage events/s  p50 %8.1f ms"
                        + "  p99 %8.1f ms  (%d accepted, %d not)%s", batchSize, rateA, a.latencyMillis(50),
                a.latencyMillis(99), a.accepted(), a.notAccepted() + a.failedRequests(), cpuPerUsageEvent(cpuA, a.accepted())));
        if (b != null) {
            summary.add(String.format(Locale.ROOT, "(b) HTTP, one per request            : %,10.0f usage events/s  p50 %8.1f ms"
                            + "  p99 %8.1f ms  (%d accepted, %d not)%s", rateB, b.latencyMillis(50), b.latencyMillis(99),
                    b.accepted(), b.notAccepted() + b.failedRequests(), ""));
        }
        summary.add(String.format(Locale.ROOT, "(c) raw JDBC, a row per usage event   : %,10.0f usage events/s  (%d rows, %d per"
                + " transaction)%s", rateC, c.rows(), batchSize, cpuPerUsageEvent(cpuC, c.rows())));
        summary.add(String.format(Locale.ROOT, "(d) raw JDBC, rows as the server's    : %,10.0f usage events/s  (%d rows in %d"
                        + " transactions, %.1f usage events per row)%s", rateD, d.rows(), d.transactions(),
                (double) d.usageEvents() / d.rows(), cpuPerUsageEvent(cpuD, d.usageEvents())));
        summary.add(String.format(Locale.ROOT, "a/c = %.3f   a/d = %.3f%s", rateA / rateC, rateA / rateD,
                b == null ? "" : String.format(Locale.ROOT, "   a/b = %.1f", rateA / rateB)));
        summary.add(String.format(Locale.ROOT, "server's rows for (a): %s stored events, %s holding usage; mean usage row %s bytes"
                        + " (d: %s, c: %s)", figures.get("storedEventsA"), figures.get("storedUsageRowsA"),
                figures.get("avgUsageRowBytesServerA"), figures.get("avgUsageRowBytesD"), figures.get("avgRowBytesC")));
        summary.add(String.format(Locale.ROOT, "projection lag after the last ack of (a), position %d: %s ms until a balance read"
                        + " with minPosition answered; %s ms until the projection processor's token passed it",
                a.maxPosition(), figures.get("projectionLagMsBalances"), figures.get("tokenLagMs")));
        if (cpuA.isPresent() && cpuC.isPresent() && cpuD.isPresent()) {
            String catchUp = cpuAWithCatchUp.map(cpu -> String.format(Locale.ROOT, "%.0f us per usage event",
                    cpu.busyMicrosPer(a.accepted()))).orElse("not measured (the projection did not catch up)");
            summary.add(String.format(Locale.ROOT, "machine CPU (server, PostgreSQL and client together) of (a) with the"
                            + " projection's catch-up: %s; host steal %.1f%% during (a), %.1f%% during (c), %.1f%% during (d)",
                    catchUp, 100 * cpuA.get().stolenShare(), 100 * cpuC.get().stolenShare(), 100 * cpuD.get().stolenShare()));
        }
        checks.forEach(check -> summary.add("stored exactly once: " + check.describe()));
        return new Measured(workload, figures, summary, List.copyOf(checks), a.accepted());
    }

    private static String cpuPerUsageEvent(Optional<MachineCpu> cpu, long usageEvents) {
        return cpu.map(spent -> String.format(Locale.ROOT, "  machine CPU %.0f us per usage event",
                spent.busyMicrosPer(usageEvents))).orElse("");
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
    private static void storedEvents(Connection sql, long after, long upTo, Map<String, Object> result) throws SQLException {
        try (PreparedStatement query = sql.prepareStatement("""
                SELECT count(*), count(*) FILTER (WHERE payloadType LIKE '%.Usage%Recorded'),
                       coalesce(sum(CASE WHEN payloadType LIKE '%.UsageBatchRecorded'
                                         THEN json_array_length(payload -> 'usages')
                                         WHEN payloadType LIKE '%.UsageRecorded' THEN 1 ELSE 0 END), 0)
                FROM events.domain_event_entry WHERE globalIndex > ? AND globalIndex <= ?""")) {
            query.setLong(1, after);
            query.setLong(2, upTo);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                result.put("storedEventsA", row.getLong(1));
                result.put("storedUsageRowsA", row.getLong(2));
                result.put("storedUsageEventsA", row.getLong(3));
            }
        }
    }

    /** The mean size of the newest 10,000 usage rows of {@code table} that match {@code where}. */
    private static Double averageUsageRowBytes(Connection sql, String table, String where) throws SQLException {
        try (Statement statement = sql.createStatement();
             ResultSet row = statement.executeQuery("SELECT coalesce(avg(pg_column_size(t.*)), 0) FROM (SELECT * FROM "
                     + table + " WHERE payloadType LIKE '%.Usage%Recorded' AND " + where
                     + " ORDER BY globalIndex DESC LIMIT 10000) t")) {
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
