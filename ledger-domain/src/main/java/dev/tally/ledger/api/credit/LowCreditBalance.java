package dev.tally.ledger.api.credit;

import dev.tally.ledger.api.money.Money;
import java.time.Instant;

/** The account's usable credit fell below its low-balance threshold. Recorded once per crossing. */
public record LowCreditBalance(String accountId, Money balance, Money threshold, Instant at) {
}
