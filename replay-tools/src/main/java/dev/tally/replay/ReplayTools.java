package dev.tally.replay;

import dev.tally.replay.balance.BalanceCommand;
import dev.tally.replay.diff.DiffCommand;
import dev.tally.replay.export.ExportCommand;
import dev.tally.replay.history.HistoryCommand;
import dev.tally.replay.rebuild.RebuildCommand;
import dev.tally.replay.rerate.RerateCommand;
import dev.tally.replay.reconcile.ReconcileCommand;
import dev.tally.replay.verify.VerifyCommand;
import dev.tally.replay.warehouse.ExportWarehouseCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The auditors' command-line program: {@code java -jar tally-replay.jar <command> --help}. */
@Command(name = "tally-replay", mixinStandardHelpOptions = true, version = "tally-replay 0.1.0",
        description = "Audit and replay tools for the Tally ledger: read the event store, never write to it.",
        subcommands = {VerifyCommand.class, ExportCommand.class, HistoryCommand.class, BalanceCommand.class, RebuildCommand.class,
                DiffCommand.class, RerateCommand.class, ExportWarehouseCommand.class, ReconcileCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 all good, 1 a finding (e.g. differences), 2 a usage or connection error."})
public final class ReplayTools implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] arguments) {
        System.exit(commandLine().execute(arguments));
    }

    /** The program with its exit code rules, for {@code main} and for tests that capture its output. */
    public static CommandLine commandLine() {
        // A command-line tool must not phone home; Axon's update checker is on unless told otherwise.
        System.setProperty("axoniq.update-checker.disabled", "true");
        CommandLine commandLine = new CommandLine(new ReplayTools());
        commandLine.setExecutionExceptionHandler(new FailureReport());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
