package dev.tally.integrations.stripe;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.tally.ledger.api.invoice.InvoiceIssued;
import dev.tally.ledger.api.invoice.InvoiceVoided;
import dev.tally.ledger.api.invoice.MarkInvoiceOverdue;
import dev.tally.ledger.api.invoice.RecordInvoicePaymentFailure;
import dev.tally.ledger.api.invoice.Settlement;
import dev.tally.ledger.api.outcome.CommandOutcome;
import dev.tally.ledger.api.payment.PaymentRecorded;
import dev.tally.ledger.api.payment.PaymentRefunded;
import dev.tally.ledger.api.payment.RecordPayment;
import jakarta.inject.Inject;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Collects one issued invoice through Stripe, from issue until the ledger says it is settled or
 * voided: pending, then paid, failed (declined) or unknown (asked again later). An invoice still
 * unpaid at the due date the ledger gave it ({@link InvoiceIssued#dueAt()}) is marked overdue. The state is saved as
 * JSON in the saga store, so every field is plain data and the injected resources are transient.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
public class InvoiceCollectionSaga {

    public static final String PROCESSING_GROUP = "stripe-invoice-collection";
    public static final String DUE_DEADLINE = "invoice-due";
    public static final String RETRY_DEADLINE = "stripe-collection-retry";
    public static final String PAYMENT_METHOD = "stripe";

    private static final Logger log = LoggerFactory.getLogger(InvoiceCollectionSaga.class);

    @Inject
    @JsonIgnore
    private transient StripeGateway stripe;
    @Inject
    @JsonIgnore
    private transient StripeCustomerDirectory customers;
    @Inject
    @JsonIgnore
    private transient CommandGateway commands;
    @Inject
    @JsonIgnore
    private transient DeadlineManager deadlines;
    @Inject
    @JsonIgnore
    private transient CollectionSettings settings;

    private InvoiceCollection collection;
    private BigDecimal amountOwed;
    private BigDecimal amountSettled;
    private CollectionState state;
    private int attempt;
    private Instant dueAt;
    private String dueDeadlineId;
    private String retryDeadlineId;
    private String stripeInvoiceId;

    @StartSaga
    @SagaEventHandler(associationProperty = "invoiceId")
    void on(InvoiceIssued issued) {
        amountOwed = issued.total().amount();
        amountSettled = issued.amountSettledAtIssue().amount();
        if (amountSettled.compareTo(amountOwed) >= 0) {
            // Nothing for Stripe to collect: a zero invoice, or one paid from unapplied cash at issue.
            SagaLifecycle.end();
            return;
        }
        collection = InvoiceCollection.of(issued);
        SagaLifecycle.associateWith("accountId", issued.accountId());
        state = CollectionState.PENDING;
        attempt = 1;
        dueAt = issued.dueAt();
        dueDeadlineId = deadlines.schedule(dueAt, DUE_DEADLINE);
        collect();
    }

    @SagaEventHandler(associationProperty = "accountId")
    void on(PaymentRecorded payment) {
        amountSettled = amountSettled.add(settledHere(payment.settlements()));
        endIfSettled();
    }

    @SagaEventHandler(associationProperty = "accountId")
    void on(PaymentRefunded refund) {
        amountSettled = amountSettled.subtract(settledHere(refund.reopened()));
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "invoiceId")
    void on(InvoiceVoided voided) {
        cancelDeadlines();
    }

    @DeadlineHandler(deadlineName = RETRY_DEADLINE)
    void retry() {
        retryDeadlineId = null;
        if (state == CollectionState.PENDING || state == CollectionState.UNKNOWN) {
            collect();
        }
    }

    @DeadlineHandler(deadlineName = DUE_DEADLINE)
    void due() {
        dueDeadlineId = null;
        if (amountSettled.compareTo(amountOwed) < 0) {
            send(new MarkInvoiceOverdue(collection.accountId(), collection.invoiceId()));
        }
    }

    private void collect() {
        String customerId = customers.customerOf(collection.accountId()).orElse(null);
        if (customerId == null) {
            // The customer sync has not linked the account yet; it will, so wait rather than create another.
            scheduleRetry();
            return;
        }
        try {
            CollectionResult result = stripe.collect(collection, customerId, attempt);
            stripeInvoiceId = result.stripeInvoiceId();
            record(result);
        } catch (StripeOutcomeUnknown unknown) {
            state = CollectionState.UNKNOWN;
            attempt++;
            scheduleRetry();
        } catch (RuntimeException unexpected) {
            // E.g. Stripe's amount due differs from the ledger's, or an answer this code cannot read: never
            // pay on a guess, but never leave the saga silently pending either; ask again later, loudly.
            log.error("invoice {}: collecting failed unexpectedly; asking Stripe again later", collection.invoiceId(),
                    unexpected);
            state = CollectionState.UNKNOWN;
            attempt++;
            scheduleRetry();
        }
    }

    /**
     * Tells the ledger what Stripe answered. If the ledger cannot take it now, the collection stays
     * unknown: the retry asks Stripe again (which answers the same) and tells the ledger again, under
     * the same Stripe-derived ids, so nothing is recorded twice.
     */
    private void record(CollectionResult result) {
        try {
            if (result.status() == CollectionResult.Status.PAID) {
                // The invoice.paid webhook records the same payment under the same id; whichever comes
                // second is a duplicate, so the payment is recorded even if webhooks are not set up.
                send(new RecordPayment(collection.accountId(), StripePaymentIds.forInvoice(result.stripeInvoiceId()),
                        MinorUnits.toMoney(result.amountPaidMinorUnits(), result.currency()), PAYMENT_METHOD,
                        result.stripeInvoiceId()));
                state = CollectionState.PAID;
            } else {
                send(new RecordInvoicePaymentFailure(collection.accountId(), collection.invoiceId(),
                        result.failureId(), result.reason(), result.stripeInvoiceId()));
                state = CollectionState.FAILED;
            }
        } catch (RuntimeException ledgerUnavailable) {
            log.warn("invoice {}: Stripe answered {} but the ledger did not take it; asking again later",
                    collection.invoiceId(), result.status(), ledgerUnavailable);
            state = CollectionState.UNKNOWN;
            scheduleRetry();
        }
    }

    private void scheduleRetry() {
        if (attempt > CollectionSettings.MAX_ATTEMPTS) {
            log.error("gave up asking Stripe about invoice {} after {} attempts; state {}", collection.invoiceId(),
                    CollectionSettings.MAX_ATTEMPTS, state);
            return;
        }
        retryDeadlineId = deadlines.schedule(settings.delayAfter(attempt), RETRY_DEADLINE);
    }

    private void send(Object command) {
        CommandOutcome outcome = commands.sendAndWait(command);
        if (outcome != null && outcome.isRejected()) {
            log.warn("{} for invoice {} refused: {} {}", command.getClass().getSimpleName(), collection.invoiceId(),
                    outcome.code(), outcome.detail());
        }
    }

    private BigDecimal settledHere(List<Settlement> settlements) {
        return settlements.stream().filter(s -> s.invoiceId().equals(collection.invoiceId()))
                .map(s -> s.amount().amount()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private void endIfSettled() {
        if (amountSettled.compareTo(amountOwed) >= 0) {
            cancelDeadlines();
            SagaLifecycle.end();
        }
    }

    private void cancelDeadlines() {
        if (dueDeadlineId != null) {
            deadlines.cancelSchedule(DUE_DEADLINE, dueDeadlineId);
            dueDeadlineId = null;
        }
        if (retryDeadlineId != null) {
            deadlines.cancelSchedule(RETRY_DEADLINE, retryDeadlineId);
            retryDeadlineId = null;
        }
    }
}
