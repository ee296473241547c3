package dev.tally.ledger.api.usage;

import dev.tally.ledger.api.credit.Funding;
import dev.tally.ledger.api.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * A usage event was accepted and rated. {@code accrual} = f(cumulativeQuantity) −
 * f(cumulativeQuantity − quantity) under plan version {@code planVersion}, in the period that
 * starts at {@code periodStart}; {@code funding} says how it was paid for. {@code late} marks
 * usage whose period had already been invoiced.
 */
public record UsageRecorded(String accountId, String idempotencyKey, String meter, BigDecimal quantity,
                            Instant timestamp, Map<String, Object> properties, Instant periodStart,
                            String planId, int planVersion, BigDecimal cumulativeQuantity, Money accrual,
                            Funding funding, boolean late, Instant recordedAt) {

    public UsageRecorded {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }
}
