package dev.tally.ledger.account;

import static dev.tally.ledger.testing.LedgerMatchers.accepted;
import static dev.tally.ledger.testing.LedgerMatchers.rejectedWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ledger.LedgerSettings;
import dev.tally.ledger.api.account.OpenAccount;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.ledger.api.plan.MeterPrice;
import dev.tally.ledger.api.projection.ProjectionEventSkipped;
import dev.tally.ledger.api.projection.SkipEventInProjections;
import dev.tally.ledger.balance.BalanceFold;
import dev.tally.ledger.journal.JournalEntries;
import dev.tally.ledger.testing.InMemoryPlanCatalog;
import dev.tally.ledger.testing.MovableClock;
import dev.tally.ledger.testing.SequentialInvoiceNumbers;
import java.math.BigDecimal;
import java.time.Instant;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

// Goal: an admin's skip of an event the read models cannot apply is recorded as the account's own event, with its
// reason, and moves no figure of the ledger.
class ProjectionSkipTest {

    private static final String ACME = "acme";
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final String GROUP = "ledger-projections";

    private AggregateTestFixture<Account> fixture;

    @BeforeEach
    void setUp() {
        InMemoryPlanCatalog plans = new InMemoryPlanCatalog();
        plans.publish("standard", "USD", Instant.parse("2025-06-01T00:00:00Z"), MeterPrice.perUnit("gpu_seconds", "0.50"));
        fixture = new AggregateTestFixture<>(Account.class);
        fixture.registerInjectableResource(LedgerSettings.withClock(new MovableClock(NOW)));
        fixture.registerInjectableResource(plans);
        fixture.registerInjectableResource(new SequentialInvoiceNumbers());
    }

    @Test
    void canRecordASkipWithItsEventPositionGroupAndReason() {
        fixture.givenCommands(open())
                .when(new SkipEventInProjections(ACME, "event-7", 42, GROUP, "holds U+0000"))
                .expectResultMessagePayloadMatching(accepted())
                .expectEvents(new ProjectionEventSkipped(ACME, "event-7", 42, GROUP, "holds U+0000", NOW));
    }

    @Test
    void cannotSkipWithoutAnEventAGroupAReasonOrAPosition() {
        fixture.givenCommands(open())
                .when(new SkipEventInProjections(ACME, "event-7", 42, GROUP, " "))
                .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.MISSING_FIELD))
                .expectNoEvents();
        fixture.givenCommands(open())
                .when(new SkipEventInProjections(ACME, null, 42, GROUP, "why"))
                .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.MISSING_FIELD))
                .expectNoEvents();
        fixture.givenCommands(open())
                .when(new SkipEventInProjections(ACME, "event-7", 42, "", "why"))
                .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.MISSING_FIELD))
                .expectNoEvents();
        fixture.givenCommands(open())
                .when(new SkipEventInProjections(ACME, "event-7", 0, GROUP, "why"))
                .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.INVALID_FIELD))
                .expectNoEvents();
    }

    @Test
    void aSkipPostsNothingAndMovesNoBalanceFigure() {
        ProjectionEventSkipped skipped = new ProjectionEventSkipped(ACME, "event-7", 42, GROUP, "why", NOW);
        assertThat(JournalEntries.postingsFor(skipped)).isEmpty();
        BalanceFold fold = new BalanceFold();
        fold.apply(skipped);
        assertThat(fold.amountDue()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(fold.grants()).isEmpty();
    }

    private static OpenAccount open() {
        return new OpenAccount(ACME, "Acme", "USD", "standard", 1, Instant.parse("2026-01-01T00:00:00Z"), null, null);
    }
}
