package dev.tally.replay.warehouse;

import dev.tally.projections.warehouse.ExportOutcome;
import dev.tally.projections.warehouse.ExportedEvent;
import dev.tally.projections.warehouse.ExportedEvents;
import dev.tally.projections.warehouse.WarehouseExport;
import dev.tally.projections.warehouse.WarehouseRows;
import dev.tally.projections.warehouse.WarehouseSink;
import dev.tally.replay.ExitCodes;
import dev.tally.replay.ToolFailure;
import dev.tally.replay.connection.DatabaseOptions;
import dev.tally.replay.connection.LedgerDatabase;
import dev.tally.replay.events.EventPayloads;
import dev.tally.replay.events.EventTable;
import dev.tally.replay.events.StoredEvent;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.axonframework.serialization.UnknownSerializedType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code export-warehouse}: the backfill of the warehouse export from a global position. */
@Command(name = "export-warehouse", mixinStandardHelpOptions = true,
        description = {"Exports the ledger's events from a global position to the warehouse (BigQuery, or NDJSON files",
                "without BigQuery) with the server's row mapping. Events the destination already acknowledged are",
                "skipped (warehouse.exported_event and export_watermark), so it is safe to run beside the server or",
                "twice.",
                "It exports the events committed when it starts; the server's export picks up the rest."})
public final class ExportWarehouseCommand implements Callable<Integer> {

    /** Events per transaction: the same as the server's export processor batch. */
    static final int EVENTS_PER_BATCH = 500;

    @Mixin
    private DatabaseOptions database;

    @Mixin
    private WarehouseDestinationOptions destination;

    @Spec
    private CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "POSITION",
            description = "First global position to export (1 for the whole ledger).")
    private long from;

    @Option(names = "--resend", description = {"Send events even if recorded as exported (after the warehouse lost data).",
            "Rows sent twice are then removed only by BigQuery's best-effort insertId deduplication and the",
            "ledger_events_dedup view; NDJSON files still merge by event id."})
    private boolean resend;

    @Override
    public Integer call() throws Exception {
        if (from < 1) {
            throw new ToolFailure("--from must be a global position, 1 or more; got " + from);
        }
        LedgerDatabase ledger = database.database();
        WarehouseSink sink = destination.sink();
        DataSource writes = ledger.durableWrites();
        WarehouseExport export = new WarehouseExport(sink, new WarehouseRows(), new ExportedEvents(new JdbcTemplate(writes)),
                Clock.systemUTC());
        TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(writes));
        EventPayloads payloads = new EventPayloads();
        ExportOutcome total = ExportOutcome.NOTHING;
        long last = from - 1;
        try (Connection reading = ledger.openReadOnly()) {
            EventTable events = EventTable.inspect(reading);
            long head = events.headPosition(reading);
            List<ExportedEvent> batch = new ArrayList<>(EVENTS_PER_BATCH);
            try (PreparedStatement statement = events.rangeInGlobalOrder(reading, from - 1, head);
                 ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    StoredEvent stored = events.read(rows);
                    batch.add(exported(stored, payloads));
                    last = stored.position();
                    if (batch.size() == EVENTS_PER_BATCH) {
                        total = total.plus(exportInOneTransaction(transaction, export, batch));
                        batch.clear();
                    }
                }
            }
            total = total.plus(exportInOneTransaction(transaction, export, batch));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%d events exported to %s, %d already there, %d rows refused (positions %d to %d)%n",
                total.exported(), sink.target(), total.alreadyExported(), total.refused(), from, last);
        if (total.refused() > 0) {
            out.println("Refused rows and their reasons: SELECT * FROM warehouse.refused_row");
            return ExitCodes.FINDING;
        }
        return ExitCodes.OK;
    }

    /** The batch and its exported marks commit together, after the destination acknowledged the rows. */
    private ExportOutcome exportInOneTransaction(TransactionTemplate transaction, WarehouseExport export,
                                                 List<ExportedEvent> batch) {
        if (batch.isEmpty()) {
            return ExportOutcome.NOTHING;
        }
        return transaction.execute(status -> export.export(batch, resend));
    }

    private static ExportedEvent exported(StoredEvent stored, EventPayloads payloads) {
        Object payload = payloads.payload(stored);
        if (payload instanceof UnknownSerializedType unknown) {
            throw new ToolFailure("event " + stored.position() + " has a type this build does not know ("
                    + unknown.serializedType().getName() + "): use the replay tools of the server's version");
        }
        return new ExportedEvent(stored.eventId(), stored.position(), stored.aggregate(), stored.sequence(),
                stored.recordedAt(), payload);
    }
}
