package dev.tally.projections.journal;

import dev.tally.ledger.api.journal.Posting;
import dev.tally.ledger.serialization.IsoInstants;
import java.time.Instant;

/** One journal row in PostgreSQL's CSV format for COPY: text fields quoted, quotes doubled. */
final class PostingCsv {

    private PostingCsv() {
    }

    static void row(StringBuilder csv, long sequence, int line, String eventId, String accountId, Instant recordedAt,
                    Posting posting) {
        csv.append(sequence).append(',').append(line).append(',');
        quoted(csv, eventId).append(',');
        quoted(csv, accountId).append(',');
        csv.append(IsoInstants.format(recordedAt)).append(',');
        quoted(csv, posting.ledgerAccount()).append(',');
        csv.append(posting.debit().amount().toPlainString()).append(',');
        csv.append(posting.credit().amount().toPlainString()).append(',');
        if (posting.description() != null) {
            quoted(csv, posting.description());
        }
        csv.append('\n');
    }

    private static StringBuilder quoted(StringBuilder csv, String text) {
        csv.append('"');
        if (text.indexOf('"') < 0) {
            // The usual case (identifiers, account names): appended whole rather than char by char.
            return csv.append(text).append('"');
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                csv.append('"');
            }
            csv.append(c);
        }
        return csv.append('"');
    }
}
