package dev.tally.replay.verify;

import dev.tally.replay.ExitCodes;
import dev.tally.replay.connection.DatabaseOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code verify}: the ledger's tamper evidence and journal invariants, re-derived from the events. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Checks every hash-chain link and sequence of every stream, every checkpoint recorded in the"
                + " ledger (and the digest file an auditor kept, with --digest), and the journal invariants of the"
                + " spec's section 7: each event's postings balance, each account's credits equal its grants'"
                + " remainders and its receivable equals unbilled + invoiced unpaid - unapplied cash, and the"
                + " journal sums to zero.",
                "Names the first event where anything breaks. Exit 0 only when everything holds, 1 on a finding."})
public final class VerifyCommand implements Callable<Integer> {

    static final int FINDINGS_SHOWN = 20;

    @Mixin
    private DatabaseOptions database;

    @Spec
    private CommandSpec spec;

    @Option(names = "--digest", paramLabel = "FILE",
            description = "A checkpoint file (GET /v1/audit/checkpoints/latest) kept outside the database.")
    private Path digestFile;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        LedgerVerifier verifier = new LedgerVerifier();
        ExpectedDigest kept = digestFile == null ? null : DigestFile.read(digestFile, new dev.tally.replay.events.EventPayloads());
        LedgerVerifier.Report report;
        long started = System.nanoTime();
        try (Connection connection = database.database().openReadOnly();
             ProgressBar bar = new ProgressBarBuilder().setTaskName("verify").setStyle(ProgressBarStyle.ASCII)
                     .setInitialMax(0).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                     .build()) {
            report = verifier.verify(connection, kept, position -> {
                bar.maxHint(Math.max(bar.getMax(), position));
                bar.stepTo(position);
            });
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf("events: %d (head position %d), streams: %d, accounts: %d, digests verified: %d%n", report.events(),
                report.head(), report.streams(), report.accounts(), report.digestsVerified());
        spec.commandLine().getErr().printf("verified %d events in %.1f s (%.0f events/s)%n", report.events(), seconds,
                report.events() / Math.max(seconds, 1e-9));
        if (report.clean()) {
            out.println("OK: every link, sequence, checkpoint and journal invariant holds");
            out.flush();
            return ExitCodes.OK;
        }
        out.println("FAILED: " + report.findingCount() + " finding(s); the first:");
        report.findings().stream().limit(FINDINGS_SHOWN).forEach(finding -> out.println("  " + finding.describe()));
        out.flush();
        return ExitCodes.FINDING;
    }
}
