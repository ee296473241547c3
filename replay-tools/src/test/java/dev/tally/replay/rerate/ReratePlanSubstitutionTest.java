package dev.tally.replay.rerate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.ledger.api.money.Money;
import dev.tally.ledger.api.plan.MeterPrice;
import dev.tally.ledger.api.plan.PlanPublished;
import dev.tally.ledger.calendar.BillingPeriod;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

// Goal: the chosen plan answers exactly the account's price questions about the rerated period, with
// the version the help promises, and the ledger's catalogue answers everything else as it did then.
class ReratePlanSubstitutionTest {

    private static final Instant JANUARY = Instant.parse("2030-01-01T00:00:00Z");
    private static final BillingPeriod MARCH = new BillingPeriod(Instant.parse("2030-03-01T00:00:00Z"),
            Instant.parse("2030-04-01T00:00:00Z"));
    private static final Instant IN_FEBRUARY = Instant.parse("2030-02-10T00:00:00Z");
    private static final Instant EARLY_MARCH = Instant.parse("2030-03-05T00:00:00Z");
    private static final Instant LATE_MARCH = Instant.parse("2030-03-25T00:00:00Z");
    private static final Instant MID_MARCH = Instant.parse("2030-03-15T00:00:00Z");

    private final RerunClock clock = new RerunClock(Instant.parse("2030-04-01T01:00:00Z"));
    private final RecordedPlanCatalog ledger = new RecordedPlanCatalog(Map.of(
            "own", List.of(version("own", 1, JANUARY, JANUARY), version("own", 2, MID_MARCH, Instant.parse("2030-03-10T00:00:00Z"))),
            "other", List.of(version("other", 1, JANUARY, JANUARY), version("other", 2, MID_MARCH, JANUARY)),
            "later", List.of(version("later", 1, Instant.parse("2030-06-01T00:00:00Z"), JANUARY))), clock);

    @Test
    void canAnswerOutsideThePeriodAndForOtherPlansAsTheLedgerDid() {
        SubstitutedPlanCatalog catalog = chosen("other:2");

        assertThat(versionOf(catalog.versionInForce("own", IN_FEBRUARY))).isEqualTo("own v1");
        assertThat(versionOf(catalog.versionInForce("other", EARLY_MARCH))).isEqualTo("other v1");
        assertThat(versionOf(catalog.versionInForce("own", MARCH.end()))).isEqualTo("own v2");
    }

    @Test
    void canPriceTheWholePeriodWithAFixedVersion() {
        SubstitutedPlanCatalog catalog = chosen("other:2");

        assertThat(versionOf(catalog.versionInForce("own", EARLY_MARCH))).isEqualTo("other v2");
        assertThat(versionOf(catalog.versionInForce("own", MARCH.end().minusNanos(1)))).isEqualTo("other v2");
    }

    @Test
    void canPriceEachInstantWithTheOtherPlansVersionInForceOrItsFirst() {
        assertThat(versionOf(chosen("other").versionInForce("own", EARLY_MARCH))).isEqualTo("other v1");
        assertThat(versionOf(chosen("other").versionInForce("own", LATE_MARCH))).isEqualTo("other v2");
        assertThat(versionOf(chosen("later").versionInForce("own", LATE_MARCH))).isEqualTo("later v1");
    }

    @Test
    void canPriceTheOwnPlanWithoutAVersionExactlyAsTheLedgerKnewIt() {
        SubstitutedPlanCatalog catalog = chosen("own");

        assertThat(versionOf(catalog.versionInForce("own", LATE_MARCH))).isEqualTo("own v2");
        clock.moveTo(Instant.parse("2030-03-09T00:00:00Z"));
        assertThat(catalog.versionInForce("own", LATE_MARCH)).as("version 2 was not published yet")
                .map(PlanPublished::version).contains(1);
    }

    @Test
    void cannotChooseWhatTheLedgerDoesNotHold() {
        assertThatThrownBy(() -> chosen("missing")).hasMessageContaining("no plan missing");
        assertThatThrownBy(() -> chosen("other:3")).hasMessageContaining("no version 3");
        assertThatThrownBy(() -> PlanSpec.parse("other:0")).isInstanceOf(RerateRefused.class);
        assertThat(PlanSpec.parse("team:gold:2")).isEqualTo(new PlanSpec("team:gold", 2));
        assertThat(PlanSpec.parse("team:gold")).isEqualTo(new PlanSpec("team:gold", null));
    }

    private SubstitutedPlanCatalog chosen(String plan) {
        return new SubstitutedPlanCatalog(ledger, "own", MARCH, PlanSpec.parse(plan));
    }

    private static String versionOf(Optional<PlanPublished> version) {
        return version.map(published -> published.planId() + " v" + published.version()).orElse("none");
    }

    private static PlanPublished version(String planId, int number, Instant effectiveFrom, Instant publishedAt) {
        return new PlanPublished(planId, number, "USD", effectiveFrom, Money.of("USD", "1.00"),
                List.of(MeterPrice.perUnit("gpu_seconds", "0.001")), publishedAt);
    }
}
