package dev.tally.ledger.testing;

import dev.tally.ledger.invoice.InvoiceNumbers;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** Invoice numbers from memory, in the server's format, for tests without a database. */
public final class SequentialInvoiceNumbers implements InvoiceNumbers {

    private final Map<Integer, Integer> lastByYear = new HashMap<>();

    @Override
    public synchronized String next(Instant issuedAt) {
        int year = issuedAt.atZone(ZoneOffset.UTC).getYear();
        int number = lastByYear.merge(year, 1, Integer::sum);
        return String.format("TLY-%d-%06d", year, number);
    }

    public synchronized int issuedIn(int year) {
        return lastByYear.getOrDefault(year, 0);
    }
}
