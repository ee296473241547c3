package dev.tally.server.invoice;

import dev.tally.ledger.invoice.InvoiceNumbers;
import java.time.Instant;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Invoice numbers from {@code api.invoice_number_series}. The increment runs on the connection of
 * the command's transaction (the one that appends the invoice event) and holds the series row's
 * lock until it commits: a rolled-back invoice gives its number back, and two invoices issued at
 * once take consecutive numbers, so the series has no gaps and no duplicates.
 */
@Component
class JdbcInvoiceNumbers implements InvoiceNumbers {

    private final JdbcTemplate jdbc;
    private final String prefix;

    JdbcInvoiceNumbers(JdbcTemplate jdbc, InvoiceProperties properties) {
        this.jdbc = jdbc;
        this.prefix = properties.numberPrefix();
    }

    @Override
    public String next(Instant issuedAt) {
        int year = issuedAt.atZone(ZoneOffset.UTC).getYear();
        Long number = jdbc.queryForObject("""
                INSERT INTO api.invoice_number_series (prefix, year, last_number) VALUES (?, ?, 1)
                ON CONFLICT (prefix, year) DO UPDATE SET last_number = api.invoice_number_series.last_number + 1
                RETURNING last_number""", Long.class, prefix, year);
        return String.format("%s-%d-%06d", prefix, year, number);
    }
}
