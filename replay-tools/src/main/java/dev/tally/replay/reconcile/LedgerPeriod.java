package dev.tally.replay.reconcile;

import dev.tally.ledger.api.account.ExternalCustomerLinked;
import dev.tally.ledger.api.account.ExternalSystem;
import dev.tally.ledger.api.invoice.InvoiceIssued;
import dev.tally.ledger.api.invoice.InvoiceVoided;
import dev.tally.ledger.api.invoice.Settlement;
import dev.tally.ledger.api.payment.PaymentRecorded;
import dev.tally.ledger.api.payment.PaymentRefunded;
import dev.tally.integrations.stripe.StripePaymentIds;
import dev.tally.ledger.api.projection.ProjectionEventSkipped;
import dev.tally.ledger.api.usage.UsageBatchRecorded;
import dev.tally.ledger.api.usage.UsageRecorded;
import dev.tally.replay.ToolFailure;
import dev.tally.replay.connection.LedgerDatabase;
import dev.tally.replay.events.EventPayloads;
import dev.tally.replay.events.EventTable;
import dev.tally.replay.events.StoredEvent;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The ledger's side of a month, read in one pass over the committed events: usage per account and
 * meter (with each event's idempotency key, to look the events up in Orb), the Stripe customer of
 * each account, and every invoice with what was paid on it, the month's marked.
 */
final class LedgerPeriod {

    private static final Set<String> READ = Set.of(UsageRecorded.class.getName(), UsageBatchRecorded.class.getName(),
            ExternalCustomerLinked.class.getName(),
            InvoiceIssued.class.getName(), InvoiceVoided.class.getName(), PaymentRecorded.class.getName(),
            PaymentRefunded.class.getName());

    private final ReconcilePeriod period;
    private final Map<UsageKey, UsageTotal> usage = new TreeMap<>();
    private final Map<String, List<String>> usageKeysByAccount = new TreeMap<>();
    private final Map<String, String> stripeCustomers = new TreeMap<>();
    private final Map<String, InvoiceFold> invoices = new HashMap<>();
    private long events;

    private static final class InvoiceFold {
        final InvoiceIssued issued;
        final boolean inPeriod;
        BigDecimal paid;
        BigDecimal paidViaStripe = BigDecimal.ZERO;
        boolean voided;

        InvoiceFold(InvoiceIssued issued, boolean inPeriod) {
            this.issued = issued;
            this.inPeriod = inPeriod;
            this.paid = issued.amountSettledAtIssue().amount();
        }

        BigDecimal toCollect() {
            return issued.total().amount().subtract(issued.amountSettledAtIssue().amount());
        }
    }

    private LedgerPeriod(ReconcilePeriod period) {
        this.period = period;
    }

    static LedgerPeriod read(LedgerDatabase database, ReconcilePeriod period) {
        LedgerPeriod ledger = new LedgerPeriod(period);
        EventPayloads payloads = new EventPayloads();
        try (Connection connection = database.openReadOnly()) {
            EventTable table = EventTable.inspect(connection);
            long head = table.headPosition(connection);
            try (PreparedStatement statement = table.rangeInGlobalOrder(connection, 0, head);
                 ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    StoredEvent event = table.read(rows);
                    ledger.events++;
                    if (READ.contains(event.payloadType())) {
                        ledger.apply(payloads.payload(event));
                    }
                }
            }
            connection.commit();
        } catch (SQLException failure) {
            throw new ToolFailure("cannot read the ledger: " + failure.getMessage(), failure);
        }
        return ledger;
    }

    private void applyUsage(UsageRecorded recorded) {
        if (period.contains(recorded.timestamp())) {
            usage.merge(new UsageKey(recorded.accountId(), recorded.meter()), UsageTotal.NONE.plus(recorded.quantity()),
                    (known, more) -> known.plus(recorded.quantity()));
            usageKeysByAccount.computeIfAbsent(recorded.accountId(), account -> new ArrayList<>())
                    .add(recorded.idempotencyKey());
        }
    }

    private void apply(Object payload) {
        if (payload instanceof UsageRecorded || payload instanceof UsageBatchRecorded) {
            UsageBatchRecorded.usagesIn(payload).forEach(this::applyUsage);
        } else if (payload instanceof ExternalCustomerLinked linked && linked.system() == ExternalSystem.STRIPE) {
            stripeCustomers.put(linked.accountId(), linked.externalId());
        } else if (payload instanceof InvoiceIssued issued) {
            invoices.put(issued.invoiceId(), new InvoiceFold(issued, period.contains(issued.periodStart())));
        } else if (payload instanceof InvoiceVoided voided) {
            invoices.get(voided.invoiceId()).voided = true;
        } else if (payload instanceof PaymentRecorded payment) {
            settle(payment.settlements(), BigDecimal.ONE);
            for (Settlement settlement : payment.settlements()) {
                if (StripePaymentIds.isStripe(payment.paymentId())) {
                    InvoiceFold invoice = invoices.get(settlement.invoiceId());
                    invoice.paidViaStripe = invoice.paidViaStripe.add(settlement.amount().amount());
                }
            }
        } else if (payload instanceof PaymentRefunded refund) {
            settle(refund.reopened(), BigDecimal.ONE.negate());
        } else if (payload instanceof ProjectionEventSkipped) {
            // Left out of the read models only: the skipped event still happened, and Orb and Stripe
            // are reconciled against the ledger's events, not its views.
            return;
        }
    }

    private void settle(List<Settlement> settlements, BigDecimal sign) {
        for (Settlement settlement : settlements) {
            InvoiceFold invoice = invoices.get(settlement.invoiceId());
            invoice.paid = invoice.paid.add(settlement.amount().amount().multiply(sign));
        }
    }

    long eventsRead() {
        return events;
    }

    Map<UsageKey, UsageTotal> usage() {
        return usage;
    }

    /** The month's usage keys of each account, in ledger order. */
    Map<String, List<String>> usageKeysByAccount() {
        return usageKeysByAccount;
    }

    Map<String, String> stripeCustomers() {
        return stripeCustomers;
    }

    /**
     * The month's invoices Stripe was asked to collect, by invoice id: those with something left
     * owing at issue (a zero invoice, or one unapplied cash paid at issue, never reaches Stripe).
     */
    Map<String, LedgerInvoice> invoicesToCollect() {
        Map<String, LedgerInvoice> due = new TreeMap<>();
        invoices.values().stream().filter(fold -> fold.inPeriod && fold.toCollect().signum() > 0)
                .forEach(fold -> due.put(fold.issued.invoiceId(), invoice(fold)));
        return due;
    }

    /** Whether the ledger ever issued this invoice, in any month. */
    boolean knowsInvoice(String invoiceId) {
        return invoices.containsKey(invoiceId);
    }

    private static LedgerInvoice invoice(InvoiceFold fold) {
        InvoiceIssued issued = fold.issued;
        return new LedgerInvoice(issued.invoiceId(), issued.number(), issued.accountId(), issued.currency(),
                issued.total().amount(), fold.toCollect(), fold.paidViaStripe, fold.paid, fold.voided);
    }
}
