package dev.tally.replay.diff;

import dev.tally.replay.ExitCodes;
import dev.tally.replay.ToolFailure;
import dev.tally.replay.connection.DatabaseOptions;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code diff}: the live projections against a rebuild of them, row by row. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Compares live projections with a shadow schema, row by row.",
                "Every table of the live schema is compared with the shadow's by primary key; prints one line per difference: 'table, key, column: live=..., shadow=...', or",
                "'table, key: only in live|shadow'. Column account.last_position is not compared (a tracking-token",
                "position, which live processing and a rebuild legitimately record differently).",
                "Compare a ledger at rest: events the live processors have not handled yet show as differences.",
                "Exit status 0 when identical, 1 when anything differs."})
public final class DiffCommand implements Callable<Integer> {

    static final int DEFAULT_MAX_REPORTED = 1_000;

    @Mixin
    private DatabaseOptions database;

    @Spec
    private CommandSpec spec;

    @Option(names = "--live", required = true, paramLabel = "SCHEMA", description = "The live schema (e.g. projections).")
    private String live;

    @Option(names = "--shadow", required = true, paramLabel = "SCHEMA", description = "The rebuilt schema.")
    private String shadow;

    @Option(names = "--max-differences", paramLabel = "N", defaultValue = "" + DEFAULT_MAX_REPORTED,
            description = "Print at most N differences (all are counted; default ${DEFAULT-VALUE}).")
    private int maxReported;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DifferenceReport report = new DifferenceReport(out, maxReported);
        try (Connection connection = database.database().openReadOnly()) {
            try (Statement statement = connection.createStatement()) {
                // Timestamps compare and print as UTC text, whatever the server's default zone.
                statement.execute("SET TIME ZONE 'UTC'");
            }
            List<String> liveTables = TableShape.tables(connection, live);
            List<String> shadowTables = TableShape.tables(connection, shadow);
            if (liveTables.isEmpty()) {
                throw new ToolFailure("schema " + live + " has no tables");
            }
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("diff").setInitialMax(liveTables.size())
                    .setUnit(" tables", 1).setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
                for (String table : liveTables) {
                    if (shadowTables.contains(table)) {
                        compare(connection, table, report);
                    } else {
                        report.accept(Difference.table("live", table));
                    }
                    bar.step();
                }
            }
            for (String table : shadowTables) {
                if (!liveTables.contains(table)) {
                    report.accept(Difference.table("shadow", table));
                }
            }
            connection.commit();
        }
        out.flush();
        err.println(report.summary());
        err.flush();
        return report.count() == 0 ? ExitCodes.OK : ExitCodes.FINDING;
    }

    private void compare(Connection connection, String table, DifferenceReport report) throws Exception {
        TableShape liveShape = TableShape.of(connection, live, table);
        TableShape shadowShape = TableShape.of(connection, shadow, table);
        List<String> values = new ArrayList<>();
        for (String column : liveShape.columns()) {
            if (!shadowShape.columns().contains(column)) {
                report.accept(Difference.missingColumn("live", table, column));
            } else if (!liveShape.primaryKey().contains(column) && !DiffExclusions.isExcluded(table, column)) {
                values.add(column);
            }
        }
        for (String column : shadowShape.columns()) {
            if (!liveShape.columns().contains(column)) {
                report.accept(Difference.missingColumn("shadow", table, column));
            }
        }
        List<String> key = liveShape.primaryKey().stream().filter(shadowShape.columns()::contains).toList();
        if (key.size() < liveShape.primaryKey().size()) {
            return;
        }
        new TableDiff(live, shadow, table, key, values).compare(connection, report);
    }
}
