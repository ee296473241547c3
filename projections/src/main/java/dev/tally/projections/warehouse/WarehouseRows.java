package dev.tally.projections.warehouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.ledger.api.usage.UsageBatchRecorded;
import dev.tally.ledger.api.usage.UsageRecorded;
import dev.tally.ledger.serialization.LedgerJson;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The row mapping shared by the server's exporter and the replay tools' backfill: an event becomes
 * one {@code ledger_events} row, and each usage event it records also one {@code usage_daily} row. Decimals are
 * written as plain strings (BigQuery BIGNUMERIC, exact), never as binary floating point.
 */
public final class WarehouseRows {

    /** The ledger's own JSON settings, so that the payload column is the JSON the event store holds. */
    private final ObjectMapper json = LedgerJson.newMapper();

    /** Every row {@code event} becomes, {@code ledger_events} first. */
    public List<WarehouseRow> rowsOf(ExportedEvent event) {
        List<WarehouseRow> rows = new ArrayList<>(2);
        rows.add(ledgerEvent(event));
        if (event.payload() instanceof UsageRecorded usage) {
            rows.add(usageDaily(event, event.eventId(), usage));
        } else if (event.payload() instanceof UsageBatchRecorded batch) {
            for (int entry = 0; entry < batch.usages().size(); entry++) {
                rows.add(usageDaily(event, entryRowId(event.eventId(), entry), batch.usages().get(entry)));
            }
        }
        return rows;
    }

    /** The row id of a batch's entry: zero-padded so that text order is the batch's order. */
    static String entryRowId(String eventId, int entry) {
        return "%s#%04d".formatted(eventId, entry);
    }

    WarehouseRow ledgerEvent(ExportedEvent event) {
        EventFigures figures = EventFigures.of(event.payload());
        Instant occurredAt = figures.occurredAt() == null ? event.recordedAt() : figures.occurredAt();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("event_id", event.eventId());
        values.put("global_position", event.position());
        values.put("account", event.streamId());
        values.put("stream_sequence", event.sequence());
        values.put("type", event.typeName());
        values.put("occurred_at", occurredAt.toString());
        values.put("recorded_at", event.recordedAt().toString());
        values.put("amount", decimal(figures.amount()));
        values.put("currency", figures.currency());
        values.put("meter", figures.meter());
        values.put("quantity", decimal(figures.quantity()));
        values.put("payload", payloadJson(event.payload()));
        return new WarehouseRow(WarehouseTable.LEDGER_EVENTS, event.eventId(), event.position(),
                utcDay(event.recordedAt()), values);
    }

    WarehouseRow usageDaily(ExportedEvent event, String rowId, UsageRecorded usage) {
        LocalDate day = utcDay(usage.timestamp());
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("event_id", rowId);
        values.put("global_position", event.position());
        values.put("account", usage.accountId());
        values.put("meter", usage.meter());
        values.put("day", day.toString());
        values.put("quantity", decimal(usage.quantity()));
        values.put("accrued", decimal(usage.accrual().amount()));
        values.put("currency", usage.accrual().currency());
        return new WarehouseRow(WarehouseTable.USAGE_DAILY, rowId, event.position(), day, values);
    }

    private String payloadJson(Object payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException unserializable) {
            // The event store wrote this payload with the same mapper, so this cannot happen for a stored event.
            throw new IllegalStateException("cannot write the payload of a " + payload.getClass().getSimpleName(),
                    unserializable);
        }
    }

    /** Plain notation at full precision: "0.000400", never "4.00E-4". */
    private static String decimal(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }

    private static LocalDate utcDay(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).toLocalDate();
    }
}
