package dev.tally.ledger.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ledger.LedgerSettings;
import dev.tally.ledger.account.Account;
import dev.tally.ledger.api.account.OpenAccount;
import dev.tally.ledger.api.charge.ChargeRecorded;
import dev.tally.ledger.api.charge.RecordCharge;
import dev.tally.ledger.api.credit.CreditExpired;
import dev.tally.ledger.api.credit.CreditGranted;
import dev.tally.ledger.api.credit.CreditMovement;
import dev.tally.ledger.api.credit.CreditVoided;
import dev.tally.ledger.api.credit.ExpireCredit;
import dev.tally.ledger.api.credit.Funding;
import dev.tally.ledger.api.credit.GrantCredit;
import dev.tally.ledger.api.credit.VoidCredit;
import dev.tally.ledger.api.journal.Posting;
import dev.tally.ledger.api.money.Money;
import dev.tally.ledger.api.outcome.CommandOutcome;
import dev.tally.ledger.api.payment.PaymentRecorded;
import dev.tally.ledger.api.payment.PaymentRefunded;
import dev.tally.ledger.api.payment.RecordPayment;
import dev.tally.ledger.api.payment.RefundPayment;
import dev.tally.ledger.api.plan.PlanPublished;
import dev.tally.ledger.api.plan.PublishPlan;
import dev.tally.ledger.api.usage.RecordUsage;
import dev.tally.ledger.api.usage.UsageOutcome;
import dev.tally.ledger.api.usage.UsageRecorded;
import dev.tally.ledger.api.usage.UsageSubmission;
import dev.tally.ledger.journal.JournalEntries;
import dev.tally.ledger.model.LedgerFigures.MeterPeriod;
import dev.tally.ledger.model.LedgerFigures.Outcome;
import dev.tally.ledger.model.LedgerFigures.StepOutcome;
import dev.tally.ledger.model.Scenario.Charge;
import dev.tally.ledger.model.Scenario.ExpireGrant;
import dev.tally.ledger.model.Scenario.Grant;
import dev.tally.ledger.model.Scenario.Payment;
import dev.tally.ledger.model.Scenario.Refund;
import dev.tally.ledger.model.Scenario.Step;
import dev.tally.ledger.model.Scenario.UsageBatch;
import dev.tally.ledger.model.Scenario.UsageItem;
import dev.tally.ledger.model.Scenario.VoidGrant;
import dev.tally.ledger.plan.Plan;
import dev.tally.ledger.testing.InMemoryPlanCatalog;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.ResultValidator;
import org.hamcrest.BaseMatcher;
import org.hamcrest.Description;

/**
 * Runs a scenario through the real {@link Plan} and {@link Account} aggregates, one
 * given-when per request with the account's whole history as given, and folds the events the
 * ledger recorded into {@link LedgerFigures}. Along the way it checks what must hold for every
 * single request: a request not accepted records nothing, every event's journal entry balances
 * and posts no negative amount, and every funding adds up to the amount it pays for.
 */
final class LedgerRun {

    private final Scenario scenario;
    private final SteppingClock clock;
    private final InMemoryPlanCatalog catalog = new InMemoryPlanCatalog();
    private final AggregateTestFixture<Account> accounts = new AggregateTestFixture<>(Account.class);
    private final List<Object> history = new ArrayList<>();
    private final List<StepOutcome> outcomes = new ArrayList<>();

    private LedgerRun(Scenario scenario) {
        this.scenario = scenario;
        this.clock = new SteppingClock(scenario.openedAt());
        LedgerSettings settings = LedgerSettings.withClock(clock);
        AggregateTestFixture<Plan> plans = new AggregateTestFixture<>(Plan.class);
        plans.registerInjectableResource(settings);
        Sent published = sent(plans.givenNoPriorActivity().when(new PublishPlan(scenario.planId(), scenario.currency(),
                scenario.planEffectiveFrom(), null, scenario.prices())));
        assertThat(published.events()).as("the plan is published").singleElement().isInstanceOf(PlanPublished.class);
        catalog.add((PlanPublished) published.events().get(0));
        accounts.registerInjectableResource(catalog);
        accounts.registerInjectableResource(settings);
    }

    static LedgerFigures run(Scenario scenario) {
        LedgerRun run = new LedgerRun(scenario);
        run.open();
        for (Step step : scenario.steps()) {
            run.send(step);
        }
        return run.figures();
    }

    private void open() {
        Sent opened = sent(accounts.givenNoPriorActivity().when(new OpenAccount(scenario.accountId(), "Customer",
                scenario.currency(), scenario.planId(), scenario.billingAnchorDay(), scenario.billingStart(), null,
                null)));
        assertThat(((CommandOutcome) opened.result()).status()).isEqualTo(CommandOutcome.Status.ACCEPTED);
        history.addAll(opened.events());
    }

    private void send(Step step) {
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
        List<String> recordedKeys = sent.events().stream().filter(UsageRecorded.class::isInstance)
                .map(event -> ((UsageRecorded) event).idempotencyKey()).toList();
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

    /** A clock that reads whatever instant the run last set: fixed during each request. */
    private static final class SteppingClock extends Clock {
        private Instant now;

        SteppingClock(Instant start) {
            this.now = start;
        }

        void set(Instant instant) {
            if (instant.isBefore(now)) {
                throw new IllegalArgumentException("the clock does not go back: " + instant + " < " + now);
            }
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    // ---- folding the recorded events into figures -----------------------------------------

    private LedgerFigures figures() {
        Map<String, BigDecimal> remaining = new TreeMap<>();
        Set<String> gone = new HashSet<>();
        Map<MeterPeriod, BigDecimal> quantities = new HashMap<>();
        Map<MeterPeriod, BigDecimal> accruals = new HashMap<>();
        Map<Instant, BigDecimal> uncovered = new TreeMap<>();
        BigDecimal unappliedCash = BigDecimal.ZERO;
        Map<String, BigDecimal> journal = new TreeMap<>();
        for (Object event : history) {
            if (event instanceof UsageRecorded usage) {
                MeterPeriod key = new MeterPeriod(usage.periodStart(), usage.meter());
                BigDecimal before = quantities.getOrDefault(key, BigDecimal.ZERO);
                assertThat(usage.cumulativeQuantity()).as("cumulative quantity of %s", usage.idempotencyKey())
                        .isEqualByComparingTo(before.add(usage.quantity()));
                quantities.put(key, usage.cumulativeQuantity());
                accruals.merge(key, usage.accrual().amount(), BigDecimal::add);
                applyFunding(usage.accrual(), usage.funding(), usage.periodStart(), remaining, gone, uncovered);
            } else if (event instanceof ChargeRecorded charge) {
                applyFunding(charge.amount(), charge.funding(), charge.periodStart(), remaining, gone, uncovered);
            } else if (event instanceof CreditGranted grant) {
                assertThat(remaining).doesNotContainKey(grant.grantId());
                remaining.put(grant.grantId(), grant.amount().amount());
            } else if (event instanceof CreditVoided voided) {
                forfeit(voided.grantId(), voided.forfeited(), remaining, gone);
            } else if (event instanceof CreditExpired expired) {
                forfeit(expired.grantId(), expired.forfeited(), remaining, gone);
            } else if (event instanceof PaymentRecorded payment) {
                unappliedCash = unappliedCash.add(payment.unapplied().amount());
            } else if (event instanceof PaymentRefunded refund) {
                unappliedCash = unappliedCash.subtract(refund.fromUnapplied().amount());
            }
            post(event, journal);
        }
        BigDecimal creditBalance = remaining.entrySet().stream().filter(entry -> !gone.contains(entry.getKey()))
                .map(Map.Entry::getValue).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal unbilled = uncovered.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        return new LedgerFigures(List.copyOf(outcomes), remaining, creditBalance, quantities, accruals, uncovered,
                unbilled, unappliedCash, unbilled.subtract(unappliedCash), journal, Map.of());
    }

    private void applyFunding(Money amount, Funding funding, Instant periodStart, Map<String, BigDecimal> remaining,
                              Set<String> gone, Map<Instant, BigDecimal> uncovered) {
        assertThat(amount.amount()).as("funding adds up to %s", amount)
                .isEqualByComparingTo(funding.totalDrawn().minus(funding.totalRestored()).plus(funding.uncoveredChange())
                        .amount());
        if (amount.signum() >= 0) {
            assertThat(funding.restored()).as("a positive amount restores nothing").isEmpty();
            assertThat(funding.uncoveredChange().signum()).isGreaterThanOrEqualTo(0);
        } else {
            assertThat(funding.drawn()).as("a negative amount draws nothing").isEmpty();
            assertThat(funding.uncoveredChange().signum()).isLessThanOrEqualTo(0);
        }
        for (CreditMovement drawn : funding.drawn()) {
            assertThat(drawn.amount().isPositive()).as("a draw is positive").isTrue();
            assertThat(gone).as("draws only on live grants").doesNotContain(drawn.grantId());
            remaining.merge(drawn.grantId(), drawn.amount().amount().negate(), BigDecimal::add);
            assertThat(remaining.get(drawn.grantId()).signum()).as("grant %s overdrawn", drawn.grantId())
                    .isGreaterThanOrEqualTo(0);
        }
        for (CreditMovement restored : funding.restored()) {
            assertThat(restored.amount().isPositive()).as("a restoration is positive").isTrue();
            assertThat(gone).as("restores only to live grants").doesNotContain(restored.grantId());
            remaining.merge(restored.grantId(), restored.amount().amount(), BigDecimal::add);
        }
        uncovered.merge(periodStart, funding.uncoveredChange().amount(), BigDecimal::add);
    }

    private static void forfeit(String grantId, Money forfeited, Map<String, BigDecimal> remaining, Set<String> gone) {
        assertThat(gone).as("grant %s is forfeited once", grantId).doesNotContain(grantId);
        assertThat(forfeited.amount()).as("forfeited remainder of %s", grantId)
                .isEqualByComparingTo(remaining.get(grantId));
        remaining.put(grantId, BigDecimal.ZERO);
        gone.add(grantId);
    }

    private void post(Object event, Map<String, BigDecimal> journal) {
        BigDecimal debits = BigDecimal.ZERO;
        BigDecimal credits = BigDecimal.ZERO;
        for (Posting posting : JournalEntries.postingsFor(event)) {
            assertThat(posting.debit().currency()).isEqualTo(scenario.currency());
            assertThat(posting.credit().currency()).isEqualTo(scenario.currency());
            assertThat(posting.debit().isNegative() || posting.credit().isNegative())
                    .as("no negative posting in %s", posting).isFalse();
            assertThat(posting.debit().isZero() != posting.credit().isZero())
                    .as("exactly one side of %s is non-zero", posting).isTrue();
            debits = debits.add(posting.debit().amount());
            credits = credits.add(posting.credit().amount());
            journal.merge(posting.ledgerAccount(), posting.debit().amount().subtract(posting.credit().amount()),
                    BigDecimal::add);
        }
        assertThat(debits).as("the entry of %s balances", event).isEqualByComparingTo(credits);
    }
}
