package dev.tally.replay.history;

import dev.tally.replay.ExitCodes;
import dev.tally.replay.connection.DatabaseOptions;
import dev.tally.replay.events.AccountEvents;
import dev.tally.replay.events.EventPayloads;
import dev.tally.replay.events.StoredEvent;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code history}: an account's timeline for a person, one line per event. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = {"Prints an account's timeline for a person, one line per event.",
                "Lines read, in ledger order:",
                "  <recorded at>  #<sequence>  <event type>  <what it means>"})
public final class HistoryCommand implements Callable<Integer> {

    @Mixin
    private DatabaseOptions database;

    @Spec
    private CommandSpec spec;

    @Option(names = "--account", required = true, paramLabel = "ACCOUNT", description = "Account id.")
    private String accountId;

    @Override
    public Integer call() throws Exception {
        EventPayloads payloads = new EventPayloads();
        PrintWriter out = spec.commandLine().getOut();
        AccountEvents.forEach(database.database(), accountId, event -> out.println(line(payloads, event)));
        out.flush();
        return ExitCodes.OK;
    }

    private static String line(EventPayloads payloads, StoredEvent event) {
        String meaning = EventSummary.of(payloads.payload(event))
                .orElseGet(() -> payloads.compact(payloads.tree(event.payloadJson())));
        return "%s  #%d  %s  %s".formatted(event.recordedAt(), event.sequence(), event.typeName(), meaning);
    }
}
