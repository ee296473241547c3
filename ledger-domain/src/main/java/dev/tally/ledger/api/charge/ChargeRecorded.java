package dev.tally.ledger.api.charge;

import dev.tally.ledger.api.credit.Funding;
import dev.tally.ledger.api.money.Money;
import java.time.Instant;

/** A manual charge or adjustment was recorded in the period starting at {@code periodStart}. */
public record ChargeRecorded(String accountId, String chargeId, Money amount, String description, Instant timestamp,
                             Instant periodStart, Funding funding, Instant recordedAt) {
}
