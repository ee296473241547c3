package dev.tally.replay.export;

import dev.tally.replay.events.EventPayloads;
import java.io.IOException;
import java.io.Writer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** RFC 4180 CSV with a header row; the payload is one column holding its JSON, quoted by Commons CSV. */
final class CsvEventWriter implements EventWriter {

    private final CSVPrinter csv;
    private final EventPayloads payloads;

    CsvEventWriter(Writer out, EventPayloads payloads) throws IOException {
        this.csv = new CSVPrinter(out, CSVFormat.RFC4180.builder()
                .setHeader(ExportedEvent.FIELDS.toArray(String[]::new)).get());
        this.payloads = payloads;
    }

    @Override
    public void write(ExportedEvent event) throws IOException {
        csv.printRecord(event.position(), event.eventId(), event.aggregate(), event.sequence(), event.type(),
                event.timestamp(), event.audit().actor(), event.audit().requestId(), event.audit().causationId(),
                event.audit().correlationId(), event.audit().idempotencyKey(), event.hash(), event.prevHash(),
                payloads.compact(event.payload()));
    }

    @Override
    public void close() throws IOException {
        csv.close(true);
    }
}
