package dev.tally.replay.rerate;

import dev.tally.ledger.invoice.InvoiceNumbers;
import java.time.Instant;

/**
 * Hands each re-run close the number its invoice really got: the ledger's series is global and
 * gap-free, so it cannot be re-drawn for one account, and a rerated invoice is named like the real one.
 */
final class RecordedInvoiceNumbers implements InvoiceNumbers {

    private String expected;

    void expect(String number) {
        expected = number;
    }

    @Override
    public String next(Instant issuedAt) {
        if (expected == null) {
            throw new IllegalStateException("the re-run issued an invoice at " + issuedAt + " that the ledger did not");
        }
        String number = expected;
        expected = null;
        return number;
    }
}
