package dev.tally.projections.warehouse;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Exports a batch of events once: it skips those the destination already acknowledged, sends the
 * rest in writes of at most {@link WarehouseSink#ROWS_PER_WRITE_MAX} rows, keeps refused rows as
 * dead letters with their reason, and marks the batch exported. Must run inside the transaction
 * that also advances the caller's position (the processor's token), so that the mark and the
 * position commit together. The only way an event reaches a destination twice is a crash between
 * the destination's acknowledgement and that commit; the destinations deduplicate by event id for
 * that window (BigQuery's insertId and the {@code ledger_events_dedup} view; NDJSON files merge by
 * event id).
 */
public final class WarehouseExport {

    /** The most events one call accepts, so that a call's rows stay within a few writes. */
    public static final int EVENTS_PER_CALL_MAX = 1_000;

    private final WarehouseSink sink;
    private final WarehouseRows rows;
    private final ExportedEvents ledger;
    private final Clock clock;

    public WarehouseExport(WarehouseSink sink, WarehouseRows rows, ExportedEvents ledger, Clock clock) {
        this.sink = sink;
        this.rows = rows;
        this.ledger = ledger;
        this.clock = clock;
    }

    public String target() {
        return sink.target();
    }

    /** Exports {@code events} that are not yet exported; with {@code resend}, exports them all again. */
    public ExportOutcome export(List<ExportedEvent> events, boolean resend) {
        if (events.size() > EVENTS_PER_CALL_MAX) {
            throw new IllegalArgumentException("at most " + EVENTS_PER_CALL_MAX + " events per call, got " + events.size());
        }
        if (events.isEmpty()) {
            return ExportOutcome.NOTHING;
        }
        ledger.lockTarget(sink.target());
        Set<Long> positions = new LinkedHashSet<>();
        events.forEach(event -> positions.add(event.position()));
        Set<Long> done = resend ? Set.of() : ledger.alreadyExported(sink.target(), positions);
        Map<WarehouseTable, List<WarehouseRow>> byTable = new EnumMap<>(WarehouseTable.class);
        Set<Long> sent = new LinkedHashSet<>();
        for (ExportedEvent event : events) {
            if (done.contains(event.position()) || !sent.add(event.position())) {
                continue;
            }
            for (WarehouseRow row : rows.rowsOf(event)) {
                byTable.computeIfAbsent(row.table(), table -> new ArrayList<>()).add(row);
            }
        }
        List<RefusedRow> refused = new ArrayList<>();
        byTable.forEach((table, tableRows) -> {
            for (int from = 0; from < tableRows.size(); from += WarehouseSink.ROWS_PER_WRITE_MAX) {
                List<WarehouseRow> chunk = tableRows.subList(from,
                        Math.min(tableRows.size(), from + WarehouseSink.ROWS_PER_WRITE_MAX));
                refused.addAll(sink.write(table, chunk));
            }
        });
        ledger.clearRefused(sink.target(), sent);
        if (!refused.isEmpty()) {
            ledger.recordRefused(sink.target(), refused, clock.instant());
        }
        // A refused row counts as exported too: it is a dead letter now, and sending it again would only be refused again.
        ledger.markExported(sink.target(), sent, clock.instant());
        return new ExportOutcome(sent.size(), events.size() - sent.size(), refused.size());
    }
}
