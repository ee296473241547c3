package dev.tally.replay.export;

import dev.tally.replay.ExitCodes;
import dev.tally.replay.connection.DatabaseOptions;
import dev.tally.replay.events.AccountEvents;
import dev.tally.replay.events.EventPayloads;
import dev.tally.replay.events.StoredEvent;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code export}: an account's history, one record per event, in ledger order. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Exports an account's events in ledger (sequence) order as CSV or NDJSON.",
                "Fields: position, eventId, aggregate, sequence, type, timestamp, actor, requestId,"
                        + " causationId, correlationId, idempotencyKey, hash, prevHash (hex; empty before the hash chain),"
                        + " payload (JSON)."})
public final class ExportCommand implements Callable<Integer> {

    @Mixin
    private DatabaseOptions database;

    @Spec
    private CommandSpec spec;

    @Option(names = "--account", required = true, paramLabel = "ACCOUNT", description = "Account id.")
    private String accountId;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "csv or ndjson.")
    private ExportFormat format;

    @Option(names = "--from", paramLabel = "INSTANT", description = "Only events recorded at or after this instant (RFC 3339).")
    private Instant from;

    @Option(names = "--to", paramLabel = "INSTANT", description = "Only events recorded before this instant (RFC 3339).")
    private Instant to;

    @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    private Path out;

    @Override
    public Integer call() throws Exception {
        EventPayloads payloads = new EventPayloads();
        try (Writer target = target(); EventWriter writer = writer(target, payloads)) {
            try {
                AccountEvents.forEach(database.database(), accountId, event -> {
                    if (inRange(event)) {
                        write(writer, payloads, event);
                    }
                });
            } catch (UncheckedIOException failure) {
                throw failure.getCause();
            }
        }
        return ExitCodes.OK;
    }

    private boolean inRange(StoredEvent event) {
        return (from == null || !event.recordedAt().isBefore(from)) && (to == null || event.recordedAt().isBefore(to));
    }

    private static void write(EventWriter writer, EventPayloads payloads, StoredEvent event) {
        try {
            writer.write(ExportedEvent.of(event, payloads.tree(event.metadataJson()), payloads.tree(event.payloadJson())));
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    private Writer target() throws IOException {
        if (out != null) {
            return Files.newBufferedWriter(out, StandardCharsets.UTF_8);
        }
        // Standard output stays open for the caller; only this command's buffering is flushed.
        return new NonClosingWriter(spec.commandLine().getOut());
    }

    private EventWriter writer(Writer target, EventPayloads payloads) throws IOException {
        return switch (format) {
            case CSV -> new CsvEventWriter(target, payloads);
            case NDJSON -> new NdjsonEventWriter(target, payloads.mapper());
        };
    }
}
