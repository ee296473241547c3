package dev.tally.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Why: the capacity model's first step is to run the API on more than one instance; this measures
 * what a second API instance buys on one machine, where both share its cores with PostgreSQL.
 *
 * <p>Run from the repository root:
 * <pre>
 * mvn -B -q -DskipTests -P benchmark package -Dbench.main=dev.tally.bench.ScaleOutBenchmark -Dexec.args="--events 300000"
 * </pre>
 *
 * <p>One embedded PostgreSQL (fsync and synchronous commit on), two empty databases on it, one per run:
 * <ol>
 *   <li>(1) one server jar with every role; plan, accounts, then {@code --events} usage events in
 *       batches from {@code --threads} client threads, all to it;</li>
 *   <li>(2) two server jars: the first with every role, the second with {@code api,projections} (as
 *       the Kubernetes split runs a second API Deployment beside the singleton roles); the same plan,
 *       accounts and batch composition as (1), the batches spread over the two by {@code --routing}:
 *       by client thread (half the threads to each, so an account's batches reach both instances), or
 *       by account (an account's batches always reach the same instance, as a gateway hashing on the
 *       account would send them).</li>
 * </ol>
 * Batches are built as {@link IngestionBenchmark}'s phase (a) builds them. Each run's server stops
 * before the next starts, so each has the machine to itself. Only events answered {@code accepted}
 * count, and each run ends with the projection lag after its last acknowledgement.
 */
@Command(name = "scale-out-benchmark", mixinStandardHelpOptions = true,
        description = "Tally usage ingestion through one API instance vs two on the same machine and database.")
public final class ScaleOutBenchmark implements Callable<Integer> {

    private static final String ALL_ROLES = "api,projections,integrations,scheduler";
    private static final String SECOND_INSTANCE_ROLES = "api,projections";
    private static final Duration READY_WAIT_MAX = Duration.ofMinutes(5);

    @Option(names = "--events", description = "events per run (default ${DEFAULT-VALUE})")
    long events = 300_000;

    @Option(names = "--batch-size", description = "events per request (default ${DEFAULT-VALUE})")
    int batchSize = 500;

    @Option(names = "--accounts", description = "accounts (default ${DEFAULT-VALUE})")
    int accounts = 1000;

    @Option(names = "--accounts-per-batch", description = "accounts one batch covers (default ${DEFAULT-VALUE})")
    int accountsPerBatch = 50;

    @Option(names = "--threads", description = "client threads, split evenly across the instances (default ${DEFAULT-VALUE})")
    int threads = 8;

    @Option(names = "--routing", description = "how batches are spread over two instances: BY_THREAD (client thread t to"
            + " instance t mod 2) or BY_ACCOUNTS (an account's batches always to the same instance) (default ${DEFAULT-VALUE})")
    HttpLoad.Routing routing = HttpLoad.Routing.BY_THREAD;

    @Option(names = "--server-jar", description = "the server jar (default ${DEFAULT-VALUE})")
    Path serverJar = Path.of(System.getProperty("bench.serverJar", "command-api/target/tally.jar"));

    @Option(names = "--output-dir", description = "where scale-out-result.json and the server logs go (default ${DEFAULT-VALUE})")
    Path outputDir = Path.of(System.getProperty("bench.outputDir", "bench/target"));

    @Option(names = "--lag-timeout-seconds", description = "longest wait for the projections to catch up (default ${DEFAULT-VALUE})")
    long lagTimeoutSeconds = 900;

    /** What one run measured. */
    private record Run(int instances, HttpLoad.PhaseResult load, Long projectionLagMs) {
    }

    public static void main(String[] args) {
        int exit = new CommandLine(new ScaleOutBenchmark()).execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (events < 1 || batchSize < 1 || batchSize > 1000 || accounts < 1 || threads < 2) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "events, accounts >= 1; threads >= 2; batch-size 1-1000");
        }
        String adminKey = "bench-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        System.out.printf("Tally scale-out benchmark: %d events per run, batches of %d over %d of %d accounts, %d threads,"
                        + " routed %s%n", events, batchSize, Math.min(accountsPerBatch, Math.min(accounts, batchSize)), accounts,
                threads, routing);
        Run one;
        Run two;
        try (BenchDatabase database = BenchDatabase.start()) {
            System.out.printf("embedded PostgreSQL on 127.0.0.1:%d, data in %s%n", database.port(), database.dataDir());
            one = run(database, http, adminKey, 1);
            two = run(database, http, adminKey, 2);
        }
        double rateOne = one.load().eventsPerSecond();
        double rateTwo = two.load().eventsPerSecond();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("startedAt", Instant.now().toString());
        result.put("events", events);
        result.put("batchSize", batchSize);
        result.put("accounts", accounts);
        result.put("threads", threads);
        result.put("routing", routing.name());
        result.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        for (Run run : List.of(one, two)) {
            String suffix = run.instances() == 1 ? "One" : "Two";
            result.put("eventsPerSecond" + suffix, round(run.load().eventsPerSecond()));
            result.put("accepted" + suffix, run.load().accepted());
            result.put("notAccepted" + suffix, run.load().notAccepted() + run.load().failedRequests());
            result.put("latencyP50Ms" + suffix, round(run.load().latencyMillis(50)));
            result.put("latencyP99Ms" + suffix, round(run.load().latencyMillis(99)));
            result.put("projectionLagMs" + suffix, run.projectionLagMs());
        }
        result.put("ratioTwoToOne", round(rateTwo / rateOne));

        System.out.println();
        System.out.printf(Locale.ROOT, "=== Tally ingestion, one vs two API instances (%d cores) ===%n",
                Runtime.getRuntime().availableProcessors());
        for (Run run : List.of(one, two)) {
            System.out.printf(Locale.ROOT, "(%d) %d instance%s: %,10.0f events/s  p50 %7.1f ms  p99 %7.1f ms  (%d accepted, %d not)"
                            + "  projection lag %s ms%n", run.instances(), run.instances(), run.instances() == 1 ? " " : "s",
                    run.load().eventsPerSecond(), run.load().latencyMillis(50), run.load().latencyMillis(99),
                    run.load().accepted(), run.load().notAccepted() + run.load().failedRequests(), run.projectionLagMs());
        }
        System.out.printf(Locale.ROOT, "two/one = %.3f%n", rateTwo / rateOne);
        Files.createDirectories(outputDir);
        Path output = outputDir.resolve("scale-out-result.json");
        Files.writeString(output, new ObjectMapper().writeValueAsString(result) + "\n", StandardCharsets.UTF_8);
        System.out.println("written to " + output.toAbsolutePath().normalize());
        boolean allAccepted = one.load().accepted() == events && two.load().accepted() == events;
        return allAccepted ? 0 : 1;
    }

    /** One run on a database of its own: start the instances one after the other (the first migrates), load, stop. */
    private Run run(BenchDatabase database, HttpClient http, String adminKey, int instances) throws Exception {
        String name = instances == 1 ? "tally_one_instance" : "tally_two_instances";
        database.createDatabase(name);
        List<ServerProcess> servers = new ArrayList<>();
        List<Path> dataDirs = new ArrayList<>();
        try {
            for (int i = 0; i < instances; i++) {
                Path log = outputDir.resolve("bench-scale-out-" + instances + "-" + i + ".log");
                Path dataDir = Files.createTempDirectory("tally-bench-data-");
                dataDirs.add(dataDir);
                ServerProcess server = ServerProcess.start(serverJar, database.jdbcUrl(name), adminKey, log, Map.of(
                        "TALLY_ROLES", i == 0 ? ALL_ROLES : SECOND_INSTANCE_ROLES,
                        "TALLY_DATA_DIR", dataDir.toString()));
                servers.add(server);
                System.out.printf("(%d) server %d at %s (log %s)%n", instances, i, server.baseUri(), log);
                server.awaitReady(http, READY_WAIT_MAX);
            }
            HttpLoad load = new HttpLoad(http, servers.stream().map(ServerProcess::baseUri).toList(), adminKey, routing);
            Instant since = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
            load.createPlan(since);
            load.createAccounts(accounts, threads, since);
            System.out.printf("(%d) ingesting ...%n", instances);
            HttpLoad.PhaseResult phase = load.run(Integer.toString(instances), "u", events, batchSize, accounts,
                    accountsPerBatch, threads);
            System.out.printf(Locale.ROOT, "(%d) %d accepted, %d not accepted, %d failed requests in %.2f s%s%n",
                    instances, phase.accepted(), phase.notAccepted(), phase.failedRequests(), phase.seconds(),
                    phase.firstProblem() == null ? "" : "; first problem: " + phase.firstProblem());
            Long lagMs;
            try {
                long balanceAt = load.awaitBalanceAt(phase.maxPosition(), Duration.ofSeconds(lagTimeoutSeconds));
                lagMs = balanceAt < 0 ? null : Math.max(0, (balanceAt - phase.endNanos()) / 1_000_000);
            } catch (IOException unanswered) {
                // A balance read that times out leaves the lag unmeasured; the rates stand.
                System.out.printf("(%d) projection lag not measured: %s%n", instances, unanswered);
                lagMs = null;
            }
            return new Run(instances, phase, lagMs);
        } finally {
            for (ServerProcess server : servers) {
                server.close();
            }
            // The warehouse export's NDJSON files of the run.
            for (Path dataDir : dataDirs) {
                try (Stream<Path> files = Files.walk(dataDir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
    }

    private static Double round(double value) {
        return Double.isFinite(value) ? Math.round(value * 1000) / 1000.0 : null;
    }
}
