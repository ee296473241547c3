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
 * rest in writes of at most {@link WarehouseSink#ROWS_PER_WRITE_MAX} rows (and about
 * {@link WarehouseSink#BYTES_PER_WRITE_MAX} bytes), keeps refused rows as
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

    /**
     * {@code rows} in order, cut into writes of at most {@link WarehouseSink#ROWS_PER_WRITE_MAX} rows
     * and, by the length of their values, about {@link WarehouseSink#BYTES_PER_WRITE_MAX} bytes. A row
     * larger than that alone is a write of its own.
     */
    public static List<List<WarehouseRow>> writes(List<WarehouseRow> rows) {
        List<List<WarehouseRow>> writes = new ArrayList<>();
        List<WarehouseRow> current = new ArrayList<>();
        long currentBytes = 0;
        for (WarehouseRow row : rows) {
            long bytes = estimatedBytes(row);
            if (!current.isEmpty() && (current.size() == WarehouseSink.ROWS_PER_WRITE_MAX
                    || currentBytes + bytes > WarehouseSink.BYTES_PER_WRITE_MAX)) {
                writes.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(row);
            currentBytes += bytes;
        }
        if (!current.isEmpty()) {
            writes.add(current);
        }
        return writes;
    }

    /** The row's JSON size, near enough: names, values and quoting; every value is a string, long or boolean. */
    private static long estimatedBytes(WarehouseRow row) {
        long bytes = 32;
        for (Map.Entry<String, Object> value : row.values().entrySet()) {
            bytes += value.getKey().length() + 8 + (value.getValue() == null ? 4 : value.getValue().toString().length());
        }
        return bytes;
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
            for (List<WarehouseRow> write : writes(tableRows)) {
                refused.addAll(sink.write(table, write));
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
