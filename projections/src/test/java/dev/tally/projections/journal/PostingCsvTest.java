package dev.tally.projections.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ledger.api.journal.Posting;
import dev.tally.ledger.api.money.Money;
import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

class PostingCsvTest {

    private static List<String> parsed(String csv) throws IOException {
        List<CSVRecord> records = CSVFormat.DEFAULT.parse(new StringReader(csv)).getRecords();
        assertThat(records).hasSize(1);
        return records.get(0).toList();
    }

    @Test
    void writesOneRowWithTextQuotedAndNumbersPlain() throws IOException {
        StringBuilder csv = new StringBuilder();
        PostingCsv.row(csv, 42, 1, "evt-1", "acct-1", Instant.parse("2026-11-26T01:02:03.450Z"),
                Posting.debit("receivable:acct-1", Money.of("USD", "1.0185000"), "usage api_calls (k-1)"));

        assertThat(csv).hasToString("42,1,\"evt-1\",\"acct-1\",2026-11-26T01:02:03.450Z,\"receivable:acct-1\","
                + "1.0185000,0,\"usage api_calls (k-1)\"\n");
    }

    @Test
    void quotesCommasAndLineBreaksInTextSurviveARoundTrip() throws IOException {
        String description = "refund \"partial\", see\nticket 7";
        StringBuilder csv = new StringBuilder();
        PostingCsv.row(csv, 7, 0, "evt-\"2\"", "acct,2", Instant.parse("2026-01-01T00:00:00Z"),
                Posting.credit("cash", Money.of("EUR", "5"), description));

        assertThat(parsed(csv.toString())).containsExactly("7", "0", "evt-\"2\"", "acct,2", "2026-01-01T00:00:00Z",
                "cash", "0", "5", description);
    }

    @Test
    void aPostingWithoutDescriptionLeavesTheLastFieldEmpty() throws IOException {
        StringBuilder csv = new StringBuilder();
        PostingCsv.row(csv, 1, 0, "e", "a", Instant.parse("2026-01-01T00:00:00Z"),
                Posting.debit("cash", Money.of("USD", "2.50"), null));

        assertThat(parsed(csv.toString())).endsWith("2.50", "0", "");
    }
}
