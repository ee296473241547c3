package dev.tally.ledger.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The figures of one account that the calculator predicts and the ledger's events must show.
 * Amounts are exact; journal balances are signed debit minus credit per ledger account.
 * {@code coverage} counts which rules a scenario exercised; it is reported, never compared.
 */
record LedgerFigures(List<StepOutcome> outcomes,
                     Map<String, BigDecimal> grantRemaining,
                     BigDecimal creditBalance,
                     Map<MeterPeriod, BigDecimal> quantities,
                     Map<MeterPeriod, BigDecimal> accruals,
                     Map<Instant, BigDecimal> uncoveredByPeriod,
                     BigDecimal unbilled,
                     BigDecimal unappliedCash,
                     BigDecimal amountDue,
                     Map<String, BigDecimal> journalBalances,
                     Map<String, Integer> coverage) {

    /** How a request was answered. */
    enum Outcome { ACCEPTED, DUPLICATE, REJECTED }

    /**
     * The answer to one request. {@code exact} is false where the spec says only that nothing
     * changes (voiding or expiring a grant that is already gone), so only acceptance is compared.
     */
    record StepOutcome(String request, Outcome outcome, boolean exact) {
    }

    /** A meter within one billing period, the key of a cumulative quantity. */
    record MeterPeriod(Instant periodStart, String meter) {
    }
}
