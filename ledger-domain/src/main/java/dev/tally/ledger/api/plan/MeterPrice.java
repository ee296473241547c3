package dev.tally.ledger.api.plan;

import java.math.BigDecimal;
import java.util.List;

/**
 * How one meter is priced. Which of the optional members are required depends on the model:
 * {@code unitPrice} for per_unit, {@code tiers} for graduated and volume, {@code packageSize}
 * and {@code packagePrice} for package. Unit prices keep full precision.
 */
public record MeterPrice(String meter, PriceModel model, BigDecimal unitPrice, List<Tier> tiers,
                         BigDecimal packageSize, BigDecimal packagePrice) {

    public MeterPrice {
        tiers = tiers == null ? List.of() : List.copyOf(tiers);
    }

    public static MeterPrice perUnit(String meter, String unitPrice) {
        return new MeterPrice(meter, PriceModel.PER_UNIT, new BigDecimal(unitPrice), List.of(), null, null);
    }

    public static MeterPrice graduated(String meter, List<Tier> tiers) {
        return new MeterPrice(meter, PriceModel.GRADUATED, null, tiers, null, null);
    }

    public static MeterPrice volume(String meter, List<Tier> tiers) {
        return new MeterPrice(meter, PriceModel.VOLUME, null, tiers, null, null);
    }

    public static MeterPrice packaged(String meter, String packageSize, String packagePrice) {
        return new MeterPrice(meter, PriceModel.PACKAGE, null, List.of(), new BigDecimal(packageSize),
                new BigDecimal(packagePrice));
    }
}
