package dev.tally.projections.invoice;

import static dev.tally.projections.support.Timestamps.toSql;

import dev.tally.ledger.api.account.AccountOpened;
import dev.tally.ledger.api.invoice.InvoiceIssued;
import dev.tally.ledger.api.invoice.InvoiceOverdue;
import dev.tally.ledger.api.invoice.InvoicePaymentFailed;
import dev.tally.ledger.api.invoice.InvoiceLine;
import dev.tally.ledger.api.invoice.InvoiceVoided;
import dev.tally.ledger.api.invoice.Settlement;
import dev.tally.ledger.api.payment.PaymentRecorded;
import dev.tally.ledger.api.payment.PaymentRefunded;
import dev.tally.ledger.calendar.BillingCalendar;
import dev.tally.ledger.calendar.BillingPeriod;
import dev.tally.projections.support.BatchScope;
import dev.tally.projections.support.ProcessingGroups;
import dev.tally.projections.support.ProjectionSchema;
import dev.tally.projections.support.UnprojectableEvents;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Invoices with their lines, what has been paid on them and their status, and each account's
 * next billing period to close. Invoices and payments are rare next to usage, so each event is
 * written by its own statements (when the batch commits); {@code invoice_progress} makes a
 * redelivered event change nothing.
 */
@ProcessingGroup(ProcessingGroups.LEDGER_PROJECTIONS)
public class InvoiceProjection {

    private final JdbcTemplate jdbc;
    private final ProjectionSchema schema;
    private final UnprojectableEvents unprojectable;
    private final BatchScope<Runnable> writes;

    public InvoiceProjection(JdbcTemplate jdbc, ProjectionSchema schema, UnprojectableEvents unprojectable) {
        this.jdbc = jdbc;
        this.schema = schema;
        this.unprojectable = unprojectable;
        this.writes = new BatchScope<>("invoices", jdbc, unprojectable, batch -> batch.forEach(Runnable::run));
    }

    /**
     * Each event's writes run in order when the batch commits, not as it is handled: a write that
     * PostgreSQL refuses is then found by {@link BatchScope} like any other projection's, and the
     * event dead-lettered whole, never half-applied by the projections that handled it first.
     */
    private void collect(Runnable eventWrites) {
        if (unprojectable.admitsCurrentEvent()) {
            writes.add(eventWrites);
        }
    }

    @EventHandler
    void on(AccountOpened event, @SequenceNumber long sequence) {
        collect(() -> write(event, sequence));
    }

    private void write(AccountOpened event, long sequence) {
        if (isNew(event.accountId(), sequence)) {
            BillingCalendar calendar = new BillingCalendar(event.billingAnchorDay());
            BillingPeriod first = calendar.periodContaining(event.billingStart());
            jdbc.update(schema.sql("""
                    INSERT INTO %1$s.billing_schedule (account_id, billing_anchor_day, next_period_start,
                        next_period_end) VALUES (?, ?, ?, ?) ON CONFLICT (account_id) DO NOTHING"""),
                    event.accountId(), event.billingAnchorDay(), toSql(first.start()), toSql(first.end()));
        }
    }

    @EventHandler
    void on(InvoiceIssued event, @SequenceNumber long sequence) {
        collect(() -> write(event, sequence));
    }

    private void write(InvoiceIssued event, long sequence) {
        if (!isNew(event.accountId(), sequence)) {
            return;
        }
        var settled = event.amountSettledAtIssue().amount();
        jdbc.update(schema.sql("""
                INSERT INTO %1$s.invoice (invoice_id, number, account_id, currency, period_start, period_end,
                    status, issued_at, subtotal, credits_applied, credit_carried_forward, total, amount_paid, due_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""),
                event.invoiceId(), event.number(), event.accountId(), event.currency(), toSql(event.periodStart()),
                toSql(event.periodEnd()), settled.compareTo(event.total().amount()) >= 0 ? "paid" : "issued",
                toSql(event.issuedAt()), event.subtotal().amount(), event.creditsApplied().amount(),
                event.creditCarriedForward().amount(), event.total().amount(), settled, toSql(event.dueAt()));
        List<Object[]> lines = new ArrayList<>();
        for (int index = 0; index < event.lines().size(); index++) {
            InvoiceLine line = event.lines().get(index);
            lines.add(new Object[]{event.invoiceId(), index + 1, line.kind().wireName(), line.meter(),
                    toSql(line.periodStart()), line.quantity(), line.planVersion(), line.description(),
                    line.amount().amount(), InvoiceLinePrices.toJson(line.price()), line.cumulativeQuantity()});
        }
        jdbc.batchUpdate(schema.sql("""
                INSERT INTO %1$s.invoice_line (invoice_id, line_no, kind, meter, period_start, quantity,
                    plan_version, description, amount, price, cumulative_quantity)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""), lines);
        jdbc.update(schema.sql("""
                UPDATE %1$s.billing_schedule SET next_period_start = ?, next_period_end = ?
                WHERE account_id = ? AND next_period_start < ?"""),
                toSql(event.periodEnd()), toSql(nextPeriodEnd(event)), event.accountId(), toSql(event.periodEnd()));
    }

    private java.time.Instant nextPeriodEnd(InvoiceIssued event) {
        Integer anchorDay = jdbc.queryForObject(
                schema.sql("SELECT billing_anchor_day FROM %1$s.billing_schedule WHERE account_id = ?"), Integer.class,
                event.accountId());
        return new BillingCalendar(anchorDay).periodContaining(event.periodEnd()).end();
    }

    @EventHandler
    void on(PaymentRecorded event, @SequenceNumber long sequence) {
        collect(() -> write(event, sequence));
    }

    private void write(PaymentRecorded event, long sequence) {
        if (!event.settlements().isEmpty() && isNew(event.accountId(), sequence)) {
            settle(event.settlements(), 1);
        }
    }

    @EventHandler
    void on(PaymentRefunded event, @SequenceNumber long sequence) {
        collect(() -> write(event, sequence));
    }

    private void write(PaymentRefunded event, long sequence) {
        if (!event.reopened().isEmpty() && isNew(event.accountId(), sequence)) {
            settle(event.reopened(), -1);
        }
    }

    private void settle(List<Settlement> settlements, int direction) {
        List<Object[]> rows = new ArrayList<>();
        for (Settlement settlement : settlements) {
            var amount = direction > 0 ? settlement.amount().amount() : settlement.amount().amount().negate();
            rows.add(new Object[]{amount, amount, settlement.invoiceId()});
        }
        jdbc.batchUpdate(schema.sql("""
                UPDATE %1$s.invoice SET amount_paid = amount_paid + ?,
                    status = CASE WHEN status = 'void' THEN 'void'
                                  WHEN amount_paid + ? >= total THEN 'paid' ELSE 'issued' END
                WHERE invoice_id = ?"""), rows);
    }

    @EventHandler
    void on(InvoiceVoided event, @SequenceNumber long sequence) {
        collect(() -> write(event, sequence));
    }

    private void write(InvoiceVoided event, long sequence) {
        if (isNew(event.accountId(), sequence)) {
            jdbc.update(schema.sql("""
                    UPDATE %1$s.invoice SET status = 'void', voided_at = ?, void_reason = ? WHERE invoice_id = ?"""),
                    toSql(event.voidedAt()), event.reason(), event.invoiceId());
        }
    }

    @EventHandler
    void on(InvoicePaymentFailed event, @SequenceNumber long sequence) {
        collect(() -> write(event, sequence));
    }

    private void write(InvoicePaymentFailed event, long sequence) {
        if (isNew(event.accountId(), sequence)) {
            jdbc.update(schema.sql("""
                    UPDATE %1$s.invoice SET payment_failures = payment_failures + 1, last_payment_failure = ?
                    WHERE invoice_id = ?"""), event.reason(), event.invoiceId());
        }
    }

    @EventHandler
    void on(InvoiceOverdue event, @SequenceNumber long sequence) {
        collect(() -> write(event, sequence));
    }

    private void write(InvoiceOverdue event, long sequence) {
        if (isNew(event.accountId(), sequence)) {
            jdbc.update(schema.sql("UPDATE %1$s.invoice SET overdue_since = ? WHERE invoice_id = ?"),
                    toSql(event.dueAt()), event.invoiceId());
        }
    }

    @ResetHandler
    void reset() {
        jdbc.update(schema.sql("DELETE FROM %1$s.invoice_line"));
        jdbc.update(schema.sql("DELETE FROM %1$s.invoice"));
        jdbc.update(schema.sql("DELETE FROM %1$s.billing_schedule"));
        jdbc.update(schema.sql("DELETE FROM %1$s.invoice_progress"));
    }

    /** Whether this account event is new to the projection; if so it counts as applied from now on. */
    private boolean isNew(String accountId, long sequence) {
        return jdbc.update(schema.sql("""
                INSERT INTO %1$s.invoice_progress (account_id, last_sequence) VALUES (?, ?)
                ON CONFLICT (account_id) DO UPDATE SET last_sequence = EXCLUDED.last_sequence
                WHERE %1$s.invoice_progress.last_sequence < EXCLUDED.last_sequence"""), accountId, sequence) == 1;
    }
}
