package dev.tally.projections.balance;

import static dev.tally.projections.support.Timestamps.toSql;

import dev.tally.ledger.api.account.AccountOpened;
import dev.tally.ledger.api.account.ExternalCustomerLinked;
import dev.tally.ledger.api.charge.ChargeRecorded;
import dev.tally.ledger.api.credit.CreditExpired;
import dev.tally.ledger.api.credit.CreditGranted;
import dev.tally.ledger.api.credit.CreditVoided;
import dev.tally.ledger.api.invoice.InvoiceIssued;
import dev.tally.ledger.api.invoice.InvoiceVoided;
import dev.tally.ledger.api.payment.PaymentRecorded;
import dev.tally.ledger.api.payment.PaymentRefunded;
import dev.tally.ledger.api.projection.ProjectionEventSkipped;
import dev.tally.ledger.api.usage.UsageBatchRecorded;
import dev.tally.ledger.api.usage.UsageRecorded;
import dev.tally.projections.support.AccountProgress;
import dev.tally.projections.support.BatchScope;
import dev.tally.projections.support.ProcessingGroups;
import dev.tally.projections.support.ProjectionSchema;
import dev.tally.projections.support.TrackedEvent;
import dev.tally.projections.support.UnprojectableEvents;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Accounts, their balance figures and their credit grants. The events of a processor batch are
 * collected and written together ({@link BalanceWrites}); the account row's
 * {@code last_sequence} is the redelivery guard.
 */
@ProcessingGroup(ProcessingGroups.LEDGER_PROJECTIONS)
public class BalanceProjection {

    private final JdbcTemplate jdbc;
    private final ProjectionSchema schema;
    private final UnprojectableEvents unprojectable;
    private final BatchScope<TrackedEvent> batch;

    public BalanceProjection(JdbcTemplate jdbc, ProjectionSchema schema, UnprojectableEvents unprojectable) {
        this.jdbc = jdbc;
        this.schema = schema;
        this.unprojectable = unprojectable;
        this.batch = new BatchScope<>("balances", jdbc, unprojectable, this::write);
    }

    @EventHandler
    void on(AccountOpened event, @SequenceNumber long sequence, TrackingToken token) {
        collect(event.accountId(), sequence, token, event);
    }

    @EventHandler
    void on(ExternalCustomerLinked event, @SequenceNumber long sequence, TrackingToken token) {
        collect(event.accountId(), sequence, token, event);
    }

    @EventHandler
    void on(UsageRecorded event, @SequenceNumber long sequence, TrackingToken token) {
        collect(event.accountId(), sequence, token, event);
    }

    @EventHandler
    void on(UsageBatchRecorded event, @SequenceNumber long sequence, TrackingToken token) {
        collect(event.accountId(), sequence, token, event);
    }

    @EventHandler
    void on(ChargeRecorded event, @SequenceNumber long sequence, TrackingToken token) {
        collect(event.accountId(), sequence, token, event);
    }

    @EventHandler
    void on(CreditGranted event, @SequenceNumber long sequence, TrackingToken token) {
        collect(event.accountId(), sequence, token, event);
    }

    @EventHandler
    void on(CreditVoided event, @SequenceNumber long sequence, TrackingToken token) {
        collect(event.accountId(), sequence, token, event);
    }

    @EventHandler
    void on(CreditExpired event, @SequenceNumber long sequence, TrackingToken token) {
        collect(event.accountId(), sequence, token, event);
    }

    @EventHandler
    void on(InvoiceIssued event, @SequenceNumber long sequence, TrackingToken token) {
        collect(event.accountId(), sequence, token, event);
    }

    @EventHandler
    void on(InvoiceVoided event, @SequenceNumber long sequence, TrackingToken token) {
        collect(event.accountId(), sequence, token, event);
    }

    @EventHandler
    void on(PaymentRecorded event, @SequenceNumber long sequence, TrackingToken token) {
        collect(event.accountId(), sequence, token, event);
    }

    @EventHandler
    void on(PaymentRefunded event, @SequenceNumber long sequence, TrackingToken token) {
        collect(event.accountId(), sequence, token, event);
    }

    /**
     * Changes no balance figure: the skipped event is left out by every projection from now on
     * (and by a replay from the start, which reads every skip first).
     */
    @EventHandler
    void on(ProjectionEventSkipped event) {
        unprojectable.skipped(event.eventId());
    }

    @ResetHandler
    void reset() {
        jdbc.update(schema.sql("DELETE FROM %1$s.credit_grant"));
        jdbc.update(schema.sql("DELETE FROM %1$s.account"));
    }

    private void collect(String accountId, long sequence, TrackingToken token, Object payload) {
        if (unprojectable.admitsCurrentEvent()) {
            batch.add(new TrackedEvent(accountId, sequence, token == null ? 0 : token.position().orElse(0), payload));
        }
    }

    private void write(List<TrackedEvent> events) {
        Set<String> accounts = new LinkedHashSet<>();
        events.forEach(event -> accounts.add(event.accountId()));
        AccountProgress progress = AccountProgress.load(jdbc, schema.table("account"), accounts);
        BalanceWrites writes = new BalanceWrites(schema);
        for (TrackedEvent event : events) {
            if (event.payload() instanceof AccountOpened opened) {
                if (!progress.isKnown(opened.accountId())) {
                    progress.advance(opened.accountId(), event.sequence());
                    writes.open(opened, event.sequence(), event.position());
                }
            } else if (progress.advance(event.accountId(), event.sequence())) {
                writes.apply(event);
            }
        }
        writes.flush(jdbc);
    }

    static Object[] accountRow(AccountOpened event, long sequence, long position) {
        return new Object[]{event.accountId(), event.name(), event.currency(), event.planId(), event.billingAnchorDay(),
                toSql(event.billingStart()),
                event.lowBalanceThreshold() == null ? null : event.lowBalanceThreshold().amount(), event.email(),
                toSql(event.openedAt()), event.paymentTermsDays(), sequence, position};
    }
}
