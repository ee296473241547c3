package dev.tally.replay;

import dev.tally.server.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/** One run of the program inside the test JVM: its exit status and what it wrote to stdout and stderr. */
record ToolRun(int exit, String out, String err) {

    List<String> outLines() {
        return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
    }

    /** Runs {@code arguments} against {@code database} as its owner (who may create the shadow schema). */
    static ToolRun against(TestDatabase.Endpoint database, String... arguments) {
        List<String> all = new ArrayList<>(Arrays.asList(arguments));
        all.addAll(List.of("--db-url", database.url(), "--db-user", database.ownerUser(),
                "--db-password=" + (database.ownerPassword() == null ? "" : database.ownerPassword())));
        return of(all.toArray(String[]::new));
    }

    static ToolRun of(String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine program = ReplayTools.commandLine();
        program.setOut(new PrintWriter(out, true));
        program.setErr(new PrintWriter(err, true));
        int exit = program.execute(arguments);
        return new ToolRun(exit, out.toString(), err.toString());
    }
}
