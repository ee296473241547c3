package dev.tally.ledger.rating;

import dev.tally.ledger.api.plan.MeterPrice;
import dev.tally.ledger.api.plan.Tier;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The tiers of a graduated or volume price that an invoice line's usage reached, so that the
 * invoice document can state "tiered" and those tiers as the plan states them (spec section 5),
 * never an amount divided by a quantity.
 */
public final class TiersReached {

    /** A tier with its lower bound spelled out: it covers (from, upTo], {@code upTo} null for no bound. */
    public record ReachedTier(BigDecimal from, BigDecimal upTo, BigDecimal unitPrice, BigDecimal flatFee) {

        public boolean isUnbounded() {
            return upTo == null;
        }
    }

    private TiersReached() {
    }

    /**
     * The tiers that priced the units by which a period's cumulative quantity went from
     * {@code before} to {@code after}. Graduated: every tier whose range meets (before, after], each
     * of those units priced by its own tier. Volume: the one tier {@code after} falls in, which
     * prices all of the period's units; none at a quantity of zero, which costs nothing.
     */
    public static List<ReachedTier> of(MeterPrice price, BigDecimal before, BigDecimal after) {
        if (before.compareTo(after) > 0 || before.signum() < 0) {
            throw new IllegalArgumentException("a quantity range runs from 0 up: " + before + " to " + after);
        }
        return switch (price.model()) {
            case GRADUATED -> graduated(price.tiers(), before, after);
            case VOLUME -> volume(price.tiers(), after);
            case PER_UNIT, PACKAGE -> throw new IllegalArgumentException(
                    "a " + price.model() + " price has no tiers: " + price.meter());
        };
    }

    private static List<ReachedTier> graduated(List<Tier> tiers, BigDecimal before, BigDecimal after) {
        List<ReachedTier> reached = new ArrayList<>();
        BigDecimal from = BigDecimal.ZERO;
        for (Tier tier : tiers) {
            boolean meetsRange = from.compareTo(after) < 0
                    && (tier.isUnbounded() || tier.upTo().compareTo(before) > 0);
            if (meetsRange) {
                reached.add(new ReachedTier(from, tier.upTo(), tier.unitPrice(), tier.flatFee()));
            }
            if (tier.isUnbounded()) {
                break;
            }
            from = tier.upTo();
        }
        return reached;
    }

    private static List<ReachedTier> volume(List<Tier> tiers, BigDecimal quantity) {
        if (quantity.signum() == 0) {
            return List.of();
        }
        BigDecimal from = BigDecimal.ZERO;
        for (Tier tier : tiers) {
            if (tier.isUnbounded() || tier.upTo().compareTo(quantity) >= 0) {
                return List.of(new ReachedTier(from, tier.upTo(), tier.unitPrice(), tier.flatFee()));
            }
            from = tier.upTo();
        }
        throw new IllegalArgumentException("the last tier of a volume price has no bound: " + tiers);
    }
}
