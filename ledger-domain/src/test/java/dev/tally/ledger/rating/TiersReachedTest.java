package dev.tally.ledger.rating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.ledger.api.plan.MeterPrice;
import dev.tally.ledger.api.plan.Tier;
import dev.tally.ledger.rating.TiersReached.ReachedTier;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

// Goal: an invoice line states the tiers its usage reached, as the plan states them, for graduated and volume prices.
class TiersReachedTest {

    private static final List<Tier> TIERS = List.of(tier("100", "0.04", "2"), tier("1000", "0.02", null),
            tier(null, "0.01", null));

    @Test
    void canListEveryGraduatedTierAPeriodsQuantityEntered() {
        List<ReachedTier> reached = TiersReached.of(MeterPrice.graduated("images", TIERS), BigDecimal.ZERO,
                new BigDecimal("150"));

        assertThat(reached).containsExactly(
                new ReachedTier(BigDecimal.ZERO, new BigDecimal("100"), new BigDecimal("0.04"), new BigDecimal("2")),
                new ReachedTier(new BigDecimal("100"), new BigDecimal("1000"), new BigDecimal("0.02"), null));
    }

    @Test
    void canListOnlyTheGraduatedTiersLateUnitsFellIn() {
        // Late usage took the period from 150 to 1,200 units: the second and third tiers priced it.
        List<ReachedTier> reached = TiersReached.of(MeterPrice.graduated("images", TIERS), new BigDecimal("150"),
                new BigDecimal("1200"));

        assertThat(reached).extracting(ReachedTier::from).containsExactly(new BigDecimal("100"), new BigDecimal("1000"));
        assertThat(reached.get(1).isUnbounded()).isTrue();
        // Exactly at a bound, the next tier is not entered: a tier covers (from, upTo].
        assertThat(TiersReached.of(MeterPrice.graduated("images", TIERS), BigDecimal.ZERO, new BigDecimal("100")))
                .extracting(ReachedTier::upTo).containsExactly(new BigDecimal("100"));
    }

    @Test
    void canNameTheOneVolumeTierThatPricesAllUnits() {
        MeterPrice volume = MeterPrice.volume("storage_gb", TIERS);

        assertThat(TiersReached.of(volume, BigDecimal.ZERO, new BigDecimal("100"))).singleElement()
                .satisfies(tier -> assertThat(tier.unitPrice()).isEqualByComparingTo("0.04"));
        assertThat(TiersReached.of(volume, new BigDecimal("90"), new BigDecimal("1000.5"))).singleElement()
                .satisfies(tier -> assertThat(tier.from()).isEqualByComparingTo("1000"));
        assertThat(TiersReached.of(volume, BigDecimal.ZERO, BigDecimal.ZERO)).isEmpty();
    }

    @Test
    void cannotStateTiersOfAPriceWithoutTiersOrOfABackwardRange() {
        assertThatThrownBy(() -> TiersReached.of(MeterPrice.perUnit("api_calls", "0.0004"), BigDecimal.ZERO,
                BigDecimal.TEN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TiersReached.of(MeterPrice.graduated("images", TIERS), BigDecimal.TEN,
                BigDecimal.ONE)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Tier tier(String upTo, String unitPrice, String flatFee) {
        return new Tier(upTo == null ? null : new BigDecimal(upTo), new BigDecimal(unitPrice),
                flatFee == null ? null : new BigDecimal(flatFee));
    }
}
