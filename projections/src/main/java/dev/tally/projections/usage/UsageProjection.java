package dev.tally.projections.usage;

import dev.tally.ledger.api.usage.UsageBatchRecorded;
import dev.tally.ledger.api.usage.UsageRecorded;
import dev.tally.projections.support.AccountProgress;
import dev.tally.projections.support.BatchScope;
import dev.tally.projections.support.ProcessingGroups;
import dev.tally.projections.support.ProjectionSchema;
import dev.tally.projections.support.UnprojectableEvents;
import java.math.BigDecimal;
import java.sql.Date;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Usage per account, meter and UTC day: quantity and accrued amount at full precision. A batch
 * of events becomes one upsert per (account, meter, day) it touched; {@code usage_progress}
 * holds the redelivery guard.
 */
@ProcessingGroup(ProcessingGroups.LEDGER_PROJECTIONS)
public class UsageProjection {

    /** The usage of one stored event: a single usage event or a batch's entries. */
    private record Recorded(String accountId, List<UsageRecorded> usages, long sequence) {
    }

    private record DayKey(String accountId, String meter, LocalDate day) {
    }

    private static final class DayTotal {
        BigDecimal quantity = BigDecimal.ZERO;
        BigDecimal accrued = BigDecimal.ZERO;
        long events;
    }

    private final JdbcTemplate jdbc;
    private final ProjectionSchema schema;
    private final UnprojectableEvents unprojectable;
    private final BatchScope<Recorded> batch;

    public UsageProjection(JdbcTemplate jdbc, ProjectionSchema schema, UnprojectableEvents unprojectable) {
        this.jdbc = jdbc;
        this.schema = schema;
        this.unprojectable = unprojectable;
        this.batch = new BatchScope<>("usage", jdbc, unprojectable, this::write);
    }

    @EventHandler
    void on(UsageRecorded event, @SequenceNumber long sequence) {
        collect(new Recorded(event.accountId(), List.of(event), sequence));
    }

    @EventHandler
    void on(UsageBatchRecorded batch, @SequenceNumber long sequence) {
        collect(new Recorded(batch.accountId(), batch.usages(), sequence));
    }

    private void collect(Recorded recorded) {
        if (unprojectable.admitsCurrentEvent()) {
            batch.add(recorded);
        }
    }

    @ResetHandler
    void reset() {
        jdbc.update(schema.sql("DELETE FROM %1$s.usage_daily"));
        jdbc.update(schema.sql("DELETE FROM %1$s.usage_progress"));
    }

    private void write(List<Recorded> batch) {
        Set<String> accounts = new LinkedHashSet<>();
        batch.forEach(recorded -> accounts.add(recorded.accountId()));
        AccountProgress progress = AccountProgress.load(jdbc, schema.table("usage_progress"), accounts);
        Map<DayKey, DayTotal> totals = new LinkedHashMap<>();
        Map<String, Long> lastSequences = new LinkedHashMap<>();
        for (Recorded recorded : batch) {
            if (!progress.advance(recorded.accountId(), recorded.sequence())) {
                continue;
            }
            lastSequences.put(recorded.accountId(), recorded.sequence());
            for (UsageRecorded event : recorded.usages()) {
                DayTotal total = totals.computeIfAbsent(new DayKey(event.accountId(), event.meter(),
                        event.timestamp().atOffset(ZoneOffset.UTC).toLocalDate()), key -> new DayTotal());
                total.quantity = total.quantity.add(event.quantity());
                total.accrued = total.accrued.add(event.accrual().amount());
                total.events++;
            }
        }
        if (totals.isEmpty()) {
            return;
        }
        List<Object[]> dayRows = new ArrayList<>();
        totals.forEach((key, total) -> dayRows.add(new Object[]{key.accountId(), key.meter(), Date.valueOf(key.day()),
                total.quantity, total.accrued, total.events}));
        jdbc.batchUpdate(schema.sql("""
                INSERT INTO %1$s.usage_daily (account_id, meter, day, quantity, accrued, events)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (account_id, meter, day) DO UPDATE SET
                    quantity = %1$s.usage_daily.quantity + EXCLUDED.quantity,
                    accrued = %1$s.usage_daily.accrued + EXCLUDED.accrued,
                    events = %1$s.usage_daily.events + EXCLUDED.events"""), dayRows);
        List<Object[]> progressRows = new ArrayList<>();
        lastSequences.forEach((accountId, sequence) -> progressRows.add(new Object[]{accountId, sequence}));
        jdbc.batchUpdate(schema.sql("""
                INSERT INTO %1$s.usage_progress (account_id, last_sequence) VALUES (?, ?)
                ON CONFLICT (account_id) DO UPDATE SET last_sequence = EXCLUDED.last_sequence"""), progressRows);
    }
}
