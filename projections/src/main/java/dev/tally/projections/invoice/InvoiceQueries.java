package dev.tally.projections.invoice;

import static dev.tally.projections.support.Timestamps.fromSql;
import static dev.tally.projections.support.Timestamps.toSql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/** Reads of the invoices projection and of each account's next period to close. */
public class InvoiceQueries {

    /** An account whose period starting at {@code periodStart} has ended and has no invoice yet. */
    public record DuePeriod(String accountId, Instant periodStart, Instant periodEnd) {
    }

    private static final String COLUMNS = """
            invoice_id, number, account_id, currency, period_start, period_end, status, issued_at, subtotal,
            credits_applied, credit_carried_forward, total, amount_paid, voided_at, void_reason, payment_failures,
            last_payment_failure, overdue_since, due_at""";

    private final JdbcTemplate jdbc;

    public InvoiceQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<InvoiceView> invoice(String invoiceId) {
        List<InvoiceView> found = jdbc.query("SELECT " + COLUMNS + " FROM projections.invoice WHERE invoice_id = ?",
                (row, index) -> view(row, List.of()), invoiceId);
        return found.stream().findFirst().map(invoice -> withLines(List.of(invoice)).get(0));
    }

    /**
     * An account's invoices in period order, from the period after {@code afterPeriodStart} (null:
     * the first), at most {@code limit}; {@code status} null means any.
     */
    public List<InvoiceView> invoicesOf(String accountId, String status, Instant afterPeriodStart, int limit) {
        List<Object> arguments = new ArrayList<>(List.of(accountId));
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM projections.invoice WHERE account_id = ?");
        if (status != null) {
            sql.append(" AND status = ?");
            arguments.add(status);
        }
        if (afterPeriodStart != null) {
            sql.append(" AND period_start > ?");
            arguments.add(toSql(afterPeriodStart));
        }
        sql.append(" ORDER BY period_start LIMIT ?");
        arguments.add(limit);
        return withLines(jdbc.query(sql.toString(), (row, index) -> view(row, List.of()), arguments.toArray()));
    }

    /** Periods that ended at or before {@code endedBy} and are not invoiced yet, earliest end first. */
    public List<DuePeriod> duePeriods(Instant endedBy, int limit) {
        return jdbc.query("""
                SELECT account_id, next_period_start, next_period_end FROM projections.billing_schedule
                WHERE next_period_end <= ? ORDER BY next_period_end, account_id LIMIT ?""",
                (row, index) -> new DuePeriod(row.getString(1), fromSql(row, 2), fromSql(row, 3)),
                toSql(endedBy), limit);
    }

    private List<InvoiceView> withLines(List<InvoiceView> invoices) {
        if (invoices.isEmpty()) {
            return invoices;
        }
        java.util.Map<String, List<InvoiceLineView>> lines = new java.util.HashMap<>();
        jdbc.query(connection -> {
            var statement = connection.prepareStatement("""
                    SELECT invoice_id, kind, meter, period_start, quantity, plan_version, description, amount, price,
                           cumulative_quantity
                    FROM projections.invoice_line WHERE invoice_id = ANY (?) ORDER BY invoice_id, line_no""");
            statement.setArray(1, connection.createArrayOf("text",
                    invoices.stream().map(InvoiceView::invoiceId).toArray()));
            return statement;
        }, row -> {
            lines.computeIfAbsent(row.getString(1), id -> new ArrayList<>()).add(new InvoiceLineView(row.getString(2),
                    row.getString(3), fromSql(row, 4), row.getBigDecimal(5),
                    (Integer) row.getObject(6), row.getString(7), row.getBigDecimal(8),
                    InvoiceLinePrices.fromJson(row.getString(9)), row.getBigDecimal(10)));
        });
        return invoices.stream().map(invoice -> new InvoiceView(invoice.invoiceId(), invoice.number(),
                invoice.accountId(), invoice.currency(), invoice.periodStart(), invoice.periodEnd(), invoice.status(),
                invoice.issuedAt(), lines.getOrDefault(invoice.invoiceId(), List.of()), invoice.subtotal(),
                invoice.creditsApplied(), invoice.creditCarriedForward(), invoice.total(), invoice.amountPaid(),
                invoice.voidedAt(), invoice.voidReason(), invoice.paymentFailures(), invoice.lastPaymentFailure(),
                invoice.overdueSince(), invoice.dueAt())).toList();
    }

    private static InvoiceView view(ResultSet row, List<InvoiceLineView> lines) throws SQLException {
        return new InvoiceView(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                fromSql(row, 5), fromSql(row, 6), row.getString(7),
                fromSql(row, 8), lines, row.getBigDecimal(9), row.getBigDecimal(10),
                row.getBigDecimal(11), row.getBigDecimal(12), row.getBigDecimal(13), fromSql(row, 14),
                row.getString(15), row.getInt(16), row.getString(17), fromSql(row, 18),
                fromSql(row, 19));
    }
}
