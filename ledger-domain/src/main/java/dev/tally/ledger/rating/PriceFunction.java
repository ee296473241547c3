package dev.tally.ledger.rating;

import dev.tally.ledger.api.plan.MeterPrice;
import dev.tally.ledger.api.plan.Tier;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * f(Q): the exact price of a period's cumulative quantity Q under one meter price, per spec
 * section 2. No rounding happens here; accruals keep full precision.
 */
public final class PriceFunction {

    private PriceFunction() {
    }

    public static BigDecimal priceOf(MeterPrice price, BigDecimal quantity) {
        if (quantity.signum() < 0) {
            throw new IllegalArgumentException("cumulative quantity cannot be negative: " + quantity);
        }
        return switch (price.model()) {
            case PER_UNIT -> quantity.multiply(price.unitPrice());
            case GRADUATED -> graduated(price.tiers(), quantity);
            case VOLUME -> volume(price.tiers(), quantity);
            case PACKAGE -> packaged(price.packageSize(), price.packagePrice(), quantity);
        };
    }

    /** The accrual of moving a period's cumulative quantity from {@code before} to {@code after}. */
    public static BigDecimal accrual(MeterPrice price, BigDecimal before, BigDecimal after) {
        return priceOf(price, after).subtract(priceOf(price, before));
    }

    private static BigDecimal graduated(List<Tier> tiers, BigDecimal quantity) {
        BigDecimal total = BigDecimal.ZERO;
        BigDecimal lowerBound = BigDecimal.ZERO;
        for (Tier tier : tiers) {
            if (quantity.compareTo(lowerBound) <= 0) {
                break;
            }
            BigDecimal upper = tier.isUnbounded() ? quantity : quantity.min(tier.upTo());
            total = total.add(upper.subtract(lowerBound).multiply(tier.unitPrice())).add(tier.flatFeeOrZero());
            if (tier.isUnbounded()) {
                break;
            }
            lowerBound = tier.upTo();
        }
        return total;
    }

    private static BigDecimal volume(List<Tier> tiers, BigDecimal quantity) {
        if (quantity.signum() == 0) {
            return BigDecimal.ZERO;
        }
        Tier applicable = tiers.get(tiers.size() - 1);
        for (Tier tier : tiers) {
            if (tier.isUnbounded() || tier.upTo().compareTo(quantity) >= 0) {
                applicable = tier;
                break;
            }
        }
        return quantity.multiply(applicable.unitPrice()).add(applicable.flatFeeOrZero());
    }

    private static BigDecimal packaged(BigDecimal packageSize, BigDecimal packagePrice, BigDecimal quantity) {
        BigDecimal packages = quantity.divide(packageSize, 0, RoundingMode.CEILING);
        return packages.multiply(packagePrice);
    }
}
