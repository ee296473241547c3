package dev.tally.server.invoice.document;

import dev.tally.ledger.api.plan.MeterPrice;
import dev.tally.ledger.api.plan.PriceModel;
import dev.tally.ledger.rating.TiersReached;
import dev.tally.ledger.rating.TiersReached.ReachedTier;
import dev.tally.projections.invoice.InvoiceLineView;
import java.math.BigDecimal;
import java.util.List;

/**
 * The price of a usage line as the plan states it (spec section 5): the unit price for per-unit,
 * the package price and size for package, "tiered" with the tiers reached for graduated and volume
 * ({@code tiers}, printed under the description). Never an amount divided by a quantity: a line
 * without a stated price (not a usage line, or issued before lines stated prices) shows none.
 */
record LinePrice(String cell, List<String> tiers) {

    static final LinePrice NONE = new LinePrice("", List.of());
    static final String TIERED = "tiered";

    static LinePrice of(InvoiceLineView line, InvoiceAmounts amounts) {
        MeterPrice price = line.price();
        if (price == null) {
            return NONE;
        }
        return switch (price.model()) {
            case PER_UNIT -> new LinePrice(amounts.price(price.unitPrice()), List.of());
            case PACKAGE -> new LinePrice(amounts.price(price.packagePrice()) + " per "
                    + amounts.quantity(price.packageSize()), List.of());
            case GRADUATED, VOLUME -> new LinePrice(TIERED, tiersReached(line, price, amounts));
        };
    }

    /** The tiers the line's units went through: from the period's quantity before them to after. */
    private static List<String> tiersReached(InvoiceLineView line, MeterPrice price, InvoiceAmounts amounts) {
        BigDecimal after = line.cumulativeQuantity();
        if (after == null || line.quantity() == null) {
            return List.of();
        }
        BigDecimal before = after.subtract(line.quantity());
        if (before.signum() < 0) {
            throw new IllegalStateException("line of " + line.meter() + " bills more than its period's quantity");
        }
        String allUnits = price.model() == PriceModel.VOLUME ? " on all units" : "";
        return TiersReached.of(price, before, after).stream()
                .map(tier -> describe(tier, amounts) + allUnits + flatFee(tier, amounts)).toList();
    }

    /** "up to 100: USD 0.04 each", "100 to 1,000: USD 0.02 each", "over 1,000: USD 0.01 each". */
    private static String describe(ReachedTier tier, InvoiceAmounts amounts) {
        String range;
        if (tier.from().signum() == 0) {
            range = tier.isUnbounded() ? "any quantity" : "up to " + amounts.quantity(tier.upTo());
        } else {
            range = tier.isUnbounded() ? "over " + amounts.quantity(tier.from())
                    : amounts.quantity(tier.from()) + " to " + amounts.quantity(tier.upTo());
        }
        return range + ": " + amounts.price(tier.unitPrice()) + " each";
    }

    private static String flatFee(ReachedTier tier, InvoiceAmounts amounts) {
        return tier.flatFee() == null || tier.flatFee().signum() == 0 ? ""
                : " + " + amounts.price(tier.flatFee()) + " flat";
    }
}
