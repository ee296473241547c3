package dev.tally.replay.rebuild;

import dev.tally.projections.support.ProjectionSchema;
import dev.tally.replay.ExitCodes;
import dev.tally.replay.ToolFailure;
import dev.tally.replay.connection.DatabaseOptions;
import dev.tally.replay.connection.LedgerDatabase;
import dev.tally.replay.events.EventTable;
import java.io.PrintWriter;
import java.sql.Connection;
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

/** {@code rebuild}: every projection rebuilt from the events into a shadow schema, for {@code diff}. */
@Command(name = "rebuild", mixinStandardHelpOptions = true,
        description = {"Rebuilds every projection from the events into a shadow schema.",
                "Drops and recreates SCHEMA with empty copies of the live projections tables, then runs the server's projection handlers over",
                "every event committed when the rebuild starts. The event store is only read. Compare with diff.",
                "Events an admin skipped are left out. An event the projections cannot apply is reported (exit 1) and its",
                "account's later events are held, as the live processor holds them; every other account is rebuilt."})
public final class RebuildCommand implements Callable<Integer> {

    @Mixin
    private DatabaseOptions databaseOptions;

    @Spec
    private CommandSpec spec;

    @Option(names = "--into", required = true, paramLabel = "SCHEMA",
            description = "The shadow schema (plain lower-case name; never the live 'projections').")
    private String into;

    @Override
    public Integer call() throws Exception {
        ProjectionSchema shadow = shadowSchema();
        ShadowSchema.requireSafeName(shadow, ProjectionSchema.LIVE);
        LedgerDatabase database = databaseOptions.database();
        long first;
        long head;
        try (Connection snapshot = database.openReadOnly()) {
            EventTable table = EventTable.inspect(snapshot);
            head = table.headPosition(snapshot);
            first = table.firstPosition(snapshot);
            snapshot.commit();
        }
        List<String> tables = changeSchema(database, shadow,
                connection -> ShadowSchema.recreate(connection, ProjectionSchema.LIVE, shadow));
        PrintWriter err = spec.commandLine().getErr();
        err.printf("rebuilding %d tables into %s from the events at positions %d to %d%n", tables.size(),
                shadow.name(), first, head);
        err.flush();
        long started = System.nanoTime();
        long events = 0;
        List<HeldAccount> held = List.of();
        if (head > 0) {
            long start = first - 1;
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("rebuild").setInitialMax(head - start)
                    .setUnit(" positions", 1).setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
                ProjectionRebuild.Outcome outcome = new ProjectionRebuild(database, shadow).run(head,
                        reached -> bar.stepTo(Math.max(0, reached - start)));
                events = outcome.events();
                held = outcome.held();
            }
        }
        changeSchema(database, shadow, connection -> {
            ShadowSchema.loaded(connection, shadow, tables);
            return tables;
        });
        double seconds = Math.max(System.nanoTime() - started, 1) / 1e9;
        err.printf("rebuilt %d events in %.1f s: %.0f events/s%n", events, seconds, events / seconds);
        PrintWriter out = spec.commandLine().getOut();
        for (HeldAccount account : held) {
            out.printf("cannot apply %s %s at position %d of account %s: %s; its %d later event(s) not applied,"
                            + " as in the live views (retry or skip it: /v1/admin/dead-letters)%n", account.eventType(),
                    account.eventId(), account.position(), account.accountId(), account.cause(), account.heldEvents());
        }
        out.flush();
        err.flush();
        return held.isEmpty() ? ExitCodes.OK : ExitCodes.FINDING;
    }

    private ProjectionSchema shadowSchema() {
        try {
            return new ProjectionSchema(into);
        } catch (IllegalArgumentException invalid) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--into: " + invalid.getMessage());
        }
    }

    private interface SchemaChange<T> {
        T apply(Connection connection) throws java.sql.SQLException;
    }

    /** One change to the shadow schema, in its own transaction. */
    private static <T> T changeSchema(LedgerDatabase database, ProjectionSchema shadow, SchemaChange<T> change) {
        try (var pool = database.openWritePool("tally-replay-schema", 1); Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = change.apply(connection);
                connection.commit();
                return result;
            } catch (java.sql.SQLException | RuntimeException failure) {
                connection.rollback();
                throw failure;
            }
        } catch (java.sql.SQLException failure) {
            throw new ToolFailure("changing schema " + shadow.name() + " failed: " + failure.getMessage(), failure);
        }
    }
}
