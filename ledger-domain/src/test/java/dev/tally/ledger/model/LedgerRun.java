package dev.tally.ledger.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ledger.LedgerSettings;
import dev.tally.ledger.account.Account;
import dev.tally.ledger.api.account.OpenAccount;
import dev.tally.ledger.api.charge.RecordCharge;
import dev.tally.ledger.api.credit.ExpireCredit;
import dev.tally.ledger.api.credit.GrantCredit;
import dev.tally.ledger.api.credit.VoidCredit;
import dev.tally.ledger.api.invoice.CloseBillingPeriod;
import dev.tally.ledger.api.invoice.VoidInvoice;
import dev.tally.ledger.api.money.Money;
import dev.tally.ledger.api.outcome.CommandOutcome;
import dev.tally.ledger.api.payment.RecordPayment;
import dev.tally.ledger.api.payment.RefundPayment;
import dev.tally.ledger.api.plan.PlanPublished;
import dev.tally.ledger.api.plan.PublishPlan;
import dev.tally.ledger.api.usage.RecordUsage;
import dev.tally.ledger.api.usage.UsageOutcome;
import dev.tally.ledger.api.usage.UsageBatchRecorded;
import dev.tally.ledger.api.usage.UsageRecorded;
import dev.tally.ledger.api.usage.UsageSubmission;
import dev.tally.ledger.model.LedgerFigures.Outcome;
import dev.tally.ledger.model.LedgerFigures.StepOutcome;
import dev.tally.ledger.model.Scenario.Charge;
import dev.tally.ledger.model.Scenario.ClosePeriod;
import dev.tally.ledger.model.Scenario.ExpireGrant;
import dev.tally.ledger.model.Scenario.Grant;
import dev.tally.ledger.model.Scenario.Payment;
import dev.tally.ledger.model.Scenario.Refund;
import dev.tally.ledger.model.Scenario.Step;
import dev.tally.ledger.model.Scenario.UsageBatch;
import dev.tally.ledger.model.Scenario.UsageItem;
import dev.tally.ledger.model.Scenario.VoidGrant;
import dev.tally.ledger.plan.Plan;
import dev.tally.ledger.testing.MovableClock;
import dev.tally.ledger.testing.InMemoryPlanCatalog;
import dev.tally.ledger.testing.SequentialInvoiceNumbers;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.ResultValidator;
import org.hamcrest.BaseMatcher;
import org.hamcrest.Description;

/**
 * Runs a scenario through the real {@link Plan} and {@link Account} aggregates, one
 * given-when per request with the account's whole history as given, and folds the events the
 * ledger recorded into {@link LedgerFigures} ({@link LedgerFold}). Along the way it checks what
 * must hold for every single request: a request not accepted records nothing, one accepted
 * records something.
 */
final class LedgerRun {

    private final Scenario scenario;
    private final MovableClock clock;
    private final InMemoryPlanCatalog catalog = new InMemoryPlanCatalog();
    private final AggregateTestFixture<Account> accounts = new AggregateTestFixture<>(Account.class);
    private final List<Object> history = new ArrayList<>();
    private final List<StepOutcome> outcomes = new ArrayList<>();

    private LedgerRun(Scenario scenario) {
        this.scenario = scenario;
        this.clock = new MovableClock(scenario.openedAt());
        LedgerSettings settings = LedgerSettings.withClock(clock);
        AggregateTestFixture<Plan> plans = new AggregateTestFixture<>(Plan.class);
        plans.registerInjectableResource(settings);
        Money minimum = scenario.minimumCommitment() == null ? null : money(scenario.minimumCommitment());
        Sent published = sent(plans.givenNoPriorActivity().when(new PublishPlan(scenario.planId(), scenario.currency(),
                scenario.planEffectiveFrom(), minimum, scenario.prices())));
        assertThat(published.events()).as("the plan is published").singleElement().isInstanceOf(PlanPublished.class);
        catalog.add((PlanPublished) published.events().get(0));
        accounts.registerInjectableResource(catalog);
        accounts.registerInjectableResource(settings);
        accounts.registerInjectableResource(new SequentialInvoiceNumbers());
    }

    static LedgerFigures run(Scenario scenario) {
        LedgerRun run = new LedgerRun(scenario);
        run.open();
        for (Step step : scenario.steps()) {
            run.send(step);
        }
        return LedgerFold.figuresOf(scenario.currency(), run.history, run.outcomes);
    }

    private void open() {
        Sent opened = sent(accounts.givenNoPriorActivity().when(new OpenAccount(scenario.accountId(), "Customer",
                scenario.currency(), scenario.planId(), scenario.billingAnchorDay(), scenario.billingStart(), null,
                null)));
        assertThat(((CommandOutcome) opened.result()).status()).isEqualTo(CommandOutcome.Status.ACCEPTED);
        history.addAll(opened.events());
    }

    private void send(Step step) {
        if (step.now().isBefore(clock.instant())) {
            throw new IllegalArgumentException("the clock does not go back: " + step.now() + " < " + clock.instant());
        }
        clock.set(step.now());
        if (step instanceof UsageBatch batch) {
            sendUsage(batch);
        } else if (step instanceof Grant grant) {
            sendCommand("grant " + grant.grantId(), true, new GrantCredit(scenario.accountId(), grant.grantId(),
                    money(grant.amount()), grant.kind(), grant.effectiveAt(), grant.expiresAt(), grant.priority(),
                    grant.description()));
        } else if (step instanceof VoidGrant voidGrant) {
            sendCommand("void " + voidGrant.grantId(), false,
                    new VoidCredit(scenario.accountId(), voidGrant.grantId(), "generated"));
        } else if (step instanceof ExpireGrant expire) {
            sendCommand("expire " + expire.grantId(), false, new ExpireCredit(scenario.accountId(), expire.grantId()));
        } else if (step instanceof Charge charge) {
            sendCommand("charge " + charge.chargeId(), true, new RecordCharge(scenario.accountId(), charge.chargeId(),
                    money(charge.amount()), charge.description(), charge.timestamp()));
        } else if (step instanceof Payment payment) {
            sendCommand("payment " + payment.paymentId(), true, new RecordPayment(scenario.accountId(),
                    payment.paymentId(), money(payment.amount()), payment.method(), payment.externalRef()));
        } else if (step instanceof Refund refund) {
            sendCommand("refund " + refund.refundId(), true, new RefundPayment(scenario.accountId(), refund.refundId(),
                    refund.paymentId(), money(refund.amount())));
        } else if (step instanceof ClosePeriod close) {
            sendCommand("close " + close.periodStart(), true,
                    new CloseBillingPeriod(scenario.accountId(), close.periodStart()));
        } else if (step instanceof Scenario.VoidInvoice voidInvoice) {
            sendCommand("void invoice " + voidInvoice.invoiceId(), true, new VoidInvoice(scenario.accountId(),
                    voidInvoice.invoiceId(), voidInvoice.restoreCredits(), "generated"));
        } else {
            throw new IllegalArgumentException("unknown step " + step);
        }
    }

    private void sendUsage(UsageBatch batch) {
        List<UsageSubmission> submissions = new ArrayList<>();
        for (UsageItem item : batch.items()) {
            submissions.add(new UsageSubmission(item.idempotencyKey(), item.meter(), item.quantity(), item.timestamp(),
                    Map.of()));
        }
        Sent sent = sent(accounts.given(history).when(new RecordUsage(scenario.accountId(), submissions)));
        @SuppressWarnings("unchecked")
        List<UsageOutcome> answers = (List<UsageOutcome>) sent.result();
        assertThat(answers).hasSameSizeAs(submissions);
        List<String> acceptedKeys = new ArrayList<>();
        for (UsageOutcome answer : answers) {
            Outcome outcome = Outcome.valueOf(answer.status().name());
            outcomes.add(new StepOutcome("usage " + answer.idempotencyKey(), outcome, true));
            if (outcome == Outcome.ACCEPTED) {
                acceptedKeys.add(answer.idempotencyKey());
            }
        }
        List<String> recordedKeys = sent.events().stream()
                .flatMap(event -> UsageBatchRecorded.usagesIn(event).stream())
                .map(UsageRecorded::idempotencyKey).toList();
        assertThat(recordedKeys).as("usage recorded exactly for the accepted submissions").isEqualTo(acceptedKeys);
        history.addAll(sent.events());
    }

    private void sendCommand(String request, boolean exact, Object command) {
        Sent sent = sent(accounts.given(history).when(command));
        CommandOutcome answer = (CommandOutcome) sent.result();
        Outcome outcome = Outcome.valueOf(answer.status().name());
        outcomes.add(new StepOutcome(request, outcome, exact));
        if (outcome != Outcome.ACCEPTED) {
            assertThat(sent.events()).as("%s answered %s records nothing", request, answer).isEmpty();
        } else {
            assertThat(sent.events()).as("%s accepted records something", request).isNotEmpty();
        }
        history.addAll(sent.events());
    }

    private Money money(BigDecimal amount) {
        return new Money(scenario.currency(), amount);
    }

    private record Sent(Object result, List<Object> events) {
    }

    private static Sent sent(ResultValidator<?> validator) {
        Capture<Object> result = new Capture<>();
        Capture<List<? super EventMessage<?>>> events = new Capture<>();
        validator.expectSuccessfulHandlerExecution()
                .expectResultMessagePayloadMatching(result)
                .expectEventsMatching(events);
        List<Object> payloads = new ArrayList<>();
        for (Object message : events.value) {
            payloads.add(((EventMessage<?>) message).getPayload());
        }
        return new Sent(result.value, payloads);
    }

    /** A matcher that accepts anything and keeps it: the fixture's way of handing out what happened. */
    private static final class Capture<T> extends BaseMatcher<T> {
        T value;

        @Override
        @SuppressWarnings("unchecked")
        public boolean matches(Object actual) {
            value = (T) (actual instanceof Message<?> message ? message.getPayload() : actual);
            return true;
        }

        @Override
        public void describeTo(Description description) {
            description.appendText("anything");
        }
    }

}
