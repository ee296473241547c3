package dev.tally.ledger.api.plan;

import dev.tally.ledger.api.money.Money;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A plan version came into existence; usage timestamped from {@code effectiveFrom} on is priced by it. */
public record PlanPublished(String planId, int version, String currency, Instant effectiveFrom,
                            Money minimumCommitment, List<MeterPrice> prices, Instant publishedAt) {

    public PlanPublished {
        prices = prices == null ? List.of() : List.copyOf(prices);
    }

    public Optional<MeterPrice> priceOf(String meter) {
        return prices.stream().filter(price -> price.meter().equals(meter)).findFirst();
    }
}
