package dev.tally.replay.balance;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tally.ledger.api.projection.ProjectionEventSkipped;
import dev.tally.ledger.balance.BalanceFold;
import dev.tally.replay.ExitCodes;
import dev.tally.replay.ToolFailure;
import dev.tally.replay.connection.DatabaseOptions;
import dev.tally.replay.events.AccountEvents;
import dev.tally.replay.events.EventPayloads;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code balance}: the balance as it stood at an instant, folded offline from the account's events
 * recorded up to it, exactly as the server answers {@code ?asOf=} (its BalanceAsOf): the domain's
 * {@link BalanceFold} over the events in sequence order, stopping at the first one recorded later.
 */
@Command(name = "balance", mixinStandardHelpOptions = true,
        description = {"Prints an account's balance as of an instant, replayed from its events.",
                "JSON with the fields of GET /v1/accounts/{id}/balance; no projection is read."})
public final class BalanceCommand implements Callable<Integer> {

    @Mixin
    private DatabaseOptions database;

    @Spec
    private CommandSpec spec;

    @Option(names = "--account", required = true, paramLabel = "ACCOUNT", description = "Account id.")
    private String accountId;

    @Option(names = "--as-of", required = true, paramLabel = "INSTANT",
            description = "The instant (RFC 3339, e.g. 2026-11-25T10:30:00Z); events recorded at or before it count.")
    private Instant asOf;

    @Override
    public Integer call() throws Exception {
        EventPayloads payloads = new EventPayloads();
        BalanceFold fold = new BalanceFold();
        AtomicLong position = new AtomicLong();
        AtomicBoolean later = new AtomicBoolean();
        // As the server: events an admin skipped are left out. A skip comes after the event it skips, so
        // the skips of the stream are read first.
        Set<String> skipped = new HashSet<>();
        AccountEvents.forEach(database.database(), accountId, event -> {
            if (event.payloadType().equals(ProjectionEventSkipped.class.getName())) {
                skipped.add(((ProjectionEventSkipped) payloads.payload(event)).eventId());
            }
        });
        AccountEvents.forEach(database.database(), accountId, event -> {
            // As the server: the stream is in sequence order, and the first event after the instant ends it.
            if (later.get() || event.recordedAt().isAfter(asOf)) {
                later.set(true);
                return;
            }
            if (!skipped.contains(event.eventId())) {
                fold.apply(payloads.payload(event));
            }
            position.set(event.position());
        });
        if (fold.currency() == null) {
            throw new ToolFailure("account " + accountId + " was not open yet at " + asOf);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(payloads.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(BalanceAnswer.of(accountId, fold, position.get())));
        out.flush();
        return ExitCodes.OK;
    }
}
