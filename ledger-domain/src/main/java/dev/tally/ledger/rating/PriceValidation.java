package dev.tally.ledger.rating;

import dev.tally.ledger.api.plan.MeterPrice;
import dev.tally.ledger.api.plan.Tier;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks that a plan's prices are well formed; answers the first problem in words, or nothing. */
public final class PriceValidation {

    public static final int MAX_METERS_PER_PLAN = 100;
    public static final int MAX_TIERS_PER_PRICE = 50;
    private static final Pattern METER_NAME = Pattern.compile("[a-z0-9][a-z0-9_.:-]{0,127}");

    private PriceValidation() {
    }

    public static Optional<String> problemWith(List<MeterPrice> prices) {
        if (prices.isEmpty()) {
            return Optional.of("a plan prices at least one meter");
        }
        if (prices.size() > MAX_METERS_PER_PLAN) {
            return Optional.of("a plan prices at most " + MAX_METERS_PER_PLAN + " meters");
        }
        Set<String> meters = new HashSet<>();
        for (MeterPrice price : prices) {
            if (price == null || price.meter() == null || !METER_NAME.matcher(price.meter()).matches()) {
                return Optional.of("meter names are 1-128 characters of a-z, 0-9, '_', '.', ':' or '-'");
            }
            if (!meters.add(price.meter())) {
                return Optional.of("meter " + price.meter() + " is priced twice");
            }
            Optional<String> problem = problemWith(price);
            if (problem.isPresent()) {
                return Optional.of("meter " + price.meter() + ": " + problem.get());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> problemWith(MeterPrice price) {
        if (price.model() == null) {
            return Optional.of("model must be per_unit, graduated, volume or package");
        }
        return switch (price.model()) {
            case PER_UNIT -> nonNegative(price.unitPrice(), "unitPrice");
            case GRADUATED, VOLUME -> problemWithTiers(price.tiers());
            case PACKAGE -> price.packageSize() == null || price.packageSize().signum() <= 0
                    ? Optional.of("packageSize must be greater than 0")
                    : nonNegative(price.packagePrice(), "packagePrice");
        };
    }

    private static Optional<String> problemWithTiers(List<Tier> tiers) {
        if (tiers.isEmpty() || tiers.size() > MAX_TIERS_PER_PRICE) {
            return Optional.of("tiers must hold 1 to " + MAX_TIERS_PER_PRICE + " tiers");
        }
        BigDecimal previous = BigDecimal.ZERO;
        for (int index = 0; index < tiers.size(); index++) {
            Tier tier = tiers.get(index);
            boolean last = index == tiers.size() - 1;
            if (tier == null) {
                return Optional.of("tier " + index + " is missing");
            }
            if (last != tier.isUnbounded()) {
                return Optional.of("only the last tier has no upTo, and it must have none");
            }
            if (!last && tier.upTo().compareTo(previous) <= 0) {
                return Optional.of("tier upTo values must be positive and ascending");
            }
            Optional<String> unitPrice = nonNegative(tier.unitPrice(), "tier unitPrice");
            if (unitPrice.isPresent()) {
                return unitPrice;
            }
            if (tier.flatFee() != null && tier.flatFee().signum() < 0) {
                return Optional.of("tier flatFee cannot be negative");
            }
            if (!last) {
                previous = tier.upTo();
            }
        }
        return Optional.empty();
    }

    private static Optional<String> nonNegative(BigDecimal value, String name) {
        if (value == null) {
            return Optional.of(name + " is required");
        }
        return value.signum() < 0 ? Optional.of(name + " cannot be negative") : Optional.empty();
    }
}
