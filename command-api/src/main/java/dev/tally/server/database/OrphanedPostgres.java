package dev.tally.server.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server that was killed (SIGKILL, a crash) leaves its embedded PostgreSQL running on the data
 * directory. Before starting again, that orphan is asked to shut down (SIGTERM: PostgreSQL's
 * smart shutdown, which writes a checkpoint), so that the new server can open the same data.
 */
final class OrphanedPostgres {

    static final Duration SHUTDOWN_WAIT_MAX = Duration.ofSeconds(60);
    private static final Logger log = LoggerFactory.getLogger(OrphanedPostgres.class);

    private OrphanedPostgres() {
    }

    static void stopIfRunning(Path pgdata) throws IOException {
        Path pidFile = pgdata.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        Optional<ProcessHandle> postmaster = lines.isEmpty() ? Optional.empty() : parsePid(lines.get(0))
                .flatMap(ProcessHandle::of)
                .filter(process -> process.info().command().map(command -> command.contains("postgres")).orElse(false));
        if (postmaster.isEmpty()) {
            return;
        }
        log.warn("an embedded PostgreSQL (pid {}) from a previous run is still running on {}; stopping it",
                postmaster.get().pid(), pgdata);
        postmaster.get().destroy();
        try {
            postmaster.get().onExit().get(SHUTDOWN_WAIT_MAX.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the previous PostgreSQL", interrupted);
        } catch (ExecutionException | TimeoutException notStopped) {
            throw new IllegalStateException("the previous PostgreSQL on " + pgdata + " did not stop", notStopped);
        }
    }

    private static Optional<Long> parsePid(String line) {
        try {
            return Optional.of(Long.parseLong(line.trim()));
        } catch (NumberFormatException notAPid) {
            return Optional.empty();
        }
    }
}
