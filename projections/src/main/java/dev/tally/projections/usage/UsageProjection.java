package dev.tally.projections.usage;

import dev.tally.ledger.api.usage.UsageRecorded;
import dev.tally.projections.support.ProcessingGroups;
import java.sql.Date;
import java.time.ZoneOffset;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.jdbc.core.JdbcTemplate;

/** Usage per account, meter and UTC day: quantity and accrued amount at full precision. */
@ProcessingGroup(ProcessingGroups.USAGE)
public class UsageProjection {

    private final JdbcTemplate jdbc;

    public UsageProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(UsageRecorded event, @SequenceNumber long sequence) {
        int firstDelivery = jdbc.update("""
                INSERT INTO projections.usage_progress (account_id, last_sequence) VALUES (?, ?)
                ON CONFLICT (account_id) DO UPDATE SET last_sequence = EXCLUDED.last_sequence
                WHERE projections.usage_progress.last_sequence < EXCLUDED.last_sequence""",
                event.accountId(), sequence);
        if (firstDelivery == 0) {
            return;
        }
        jdbc.update("""
                INSERT INTO projections.usage_daily (account_id, meter, day, quantity, accrued, events)
                VALUES (?, ?, ?, ?, ?, 1)
                ON CONFLICT (account_id, meter, day) DO UPDATE SET
                    quantity = projections.usage_daily.quantity + EXCLUDED.quantity,
                    accrued = projections.usage_daily.accrued + EXCLUDED.accrued,
                    events = projections.usage_daily.events + 1""",
                event.accountId(), event.meter(), Date.valueOf(event.timestamp().atOffset(ZoneOffset.UTC).toLocalDate()),
                event.quantity(), event.accrual().amount());
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM projections.usage_daily");
        jdbc.update("DELETE FROM projections.usage_progress");
    }
}
