package dev.tally.ledger.api.usage;

import dev.tally.ledger.api.credit.Funding;
import dev.tally.ledger.api.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * A usage event was accepted and rated. {@code accrual} = f(cumulativeQuantity) −
 * f(cumulativeQuantity − quantity) under plan version {@code planVersion}, in the period that
 * starts at {@code periodStart}; {@code late} marks usage whose period had already been invoiced.
 * {@code coveredByMinimum} is the part of a late accrual that the minimum true-up billed on its
 * period's invoice already paid (spec section 5, "Late usage and the minimum"): zero for usage on
 * time, and for events stored before the rule, which lack the member. {@code funding} pays for the
 * rest, {@code accrual − coveredByMinimum}.
 */
public record UsageRecorded(String accountId, String idempotencyKey, String meter, BigDecimal quantity,
                            Instant timestamp, Map<String, Object> properties, Instant periodStart,
                            String planId, int planVersion, BigDecimal cumulativeQuantity, Money accrual,
                            Money coveredByMinimum, Funding funding, boolean late, Instant recordedAt) {

    public UsageRecorded {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
        if (coveredByMinimum == null && accrual != null) {
            coveredByMinimum = Money.zero(accrual.currency());
        }
    }

    /** Usage no minimum covers: all of its accrual is funded. */
    public UsageRecorded(String accountId, String idempotencyKey, String meter, BigDecimal quantity, Instant timestamp,
                         Map<String, Object> properties, Instant periodStart, String planId, int planVersion,
                         BigDecimal cumulativeQuantity, Money accrual, Funding funding, boolean late,
                         Instant recordedAt) {
        this(accountId, idempotencyKey, meter, quantity, timestamp, properties, periodStart, planId, planVersion,
                cumulativeQuantity, accrual, null, funding, late, recordedAt);
    }

    /** What the event bills: its accrual less what the minimum commitment already covered. */
    public Money billedAccrual() {
        return accrual.minus(coveredByMinimum);
    }
}
