package dev.tally.replay.rerate;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import dev.tally.replay.connection.DatabaseOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tally-replay rerate}: the account's invoice for one billing period as it would have been
 * under another plan, beside the real one. The engine is {@link Rerating}; the rule for what the
 * chosen plan prices is {@link SubstitutedPlanCatalog}'s, and the help below states it for users.
 */
@Command(name = "rerate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Shows what an account's invoice for one billing period would have been under another plan,"
                        + " line by line beside the real invoice. Writes nothing to the ledger.",
                "",
                "How: the account's recorded history is re-executed in memory, each event's command at the"
                        + " instant the ledger handled it, by the ledger's own account aggregate, up to the close"
                        + " of the period. Rating, credits, minimums and rounding are the ledger's own rules.",
                "",
                "What the chosen plan prices: usage whose timestamp falls in the period (rated when recorded,"
                        + " so credit drawdown follows the new prices), and the period's minimum commitment"
                        + " (the chosen plan's minimum, or none). Everything else keeps its real price:"
                        + " earlier periods, and late usage of earlier periods billed on this invoice.",
                "Which version: PLAN:VERSION uses that version throughout the period. PLAN alone uses, for each"
                        + " usage event, the plan's version in force at its timestamp (its first version if the"
                        + " plan took effect later), and for the minimum the version in force at the period's end."
                        + " The account's own plan without a version prices exactly as the ledger did, so it"
                        + " reproduces the real invoice.",
                ""},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the report was printed", "1:an unexpected failure (a bug: please report it)",
                "2:bad options, unknown account, plan or version, no invoice for the period, no database"})
public class RerateCommand implements Callable<Integer> {

    static final int EXIT_REFUSED = 2;

    @Option(names = "--account", required = true, paramLabel = "ACCOUNT", description = "The account id.")
    String accountId;

    @Option(names = "--period", required = true, paramLabel = "PERIOD_START",
            description = "The billing period's start instant, as on the invoice, e.g. 2026-10-01T00:00:00Z.")
    String period;

    @Option(names = "--plan", required = true, paramLabel = "PLAN[:VERSION]",
            description = "The plan to rerate under, optionally one version of it (a number after the last colon is the version).")
    String plan;

    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Instant periodStart = periodStart();
            PlanSpec chosenPlan = PlanSpec.parse(plan);
            try (Connection ledger = database.database().openReadOnly()) {
                RerateReport report = new Rerating(ledger).rerate(accountId, periodStart, chosenPlan);
                out.print(RerateReportFormat.format(report));
                out.flush();
                return 0;
            }
        } catch (RerateRefused refused) {
            return refuse(err, refused.getMessage());
        } catch (SQLException e) {
            // A database that answers but cannot be read as a ledger (wrong database, no privilege).
            return refuse(err, "cannot read the ledger: " + e.getMessage());
        }
    }

    private static int refuse(PrintWriter err, String message) {
        err.println("rerate: " + message);
        err.flush();
        return EXIT_REFUSED;
    }

    private Instant periodStart() {
        try {
            return Instant.parse(period);
        } catch (DateTimeParseException e) {
            throw new RerateRefused("--period takes the period's start instant, e.g. 2026-10-01T00:00:00Z, not " + period);
        }
    }
}
