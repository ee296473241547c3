package dev.tally.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Why: how many usage events a request carries per account decides how many rows and transactions
 * the server writes, so one shape of traffic cannot stand for all. Each workload runs against a
 * server and database of its own.
 */
enum Workload {

    /**
     * Batches covering {@code --accounts-per-batch} accounts (50: ten usage events each with batches
     * of 500), no credit: a metering pipeline that flushes a window of its busiest tenants.
     */
    BATCHED,

    /**
     * An inference gateway's flush: every request carries one usage event for each of as many
     * different accounts as it has events, and every account draws its usage from prepaid credit.
     * One account in {@link #LOW_CREDIT_EVERY} is granted half of what its share of the run will
     * cost, so it runs low and then out of credit during the run; the others twice that.
     */
    GATEWAY;

    /** Every this many accounts (from the first) one is granted too little credit for the run. */
    static final int LOW_CREDIT_EVERY = 10;
    /** An account's low-balance threshold is its grant divided by this. */
    private static final BigDecimal GRANT_TO_LOW_BALANCE_THRESHOLD = BigDecimal.TEN;
    private static final BigDecimal LOW_CREDIT_SHARE = new BigDecimal("0.5");
    private static final BigDecimal AMPLE_CREDIT_SHARE = new BigDecimal("2");
    /** The smallest grant: the currency's smallest positive amount, so that a tiny smoke run still grants credit. */
    private static final BigDecimal GRANT_MIN = new BigDecimal("0.01");

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The database the workload's server and baselines use (each workload starts on an empty ledger). */
    String databaseName() {
        return "tally_" + label();
    }

    /** Accounts one request covers: the option for {@link #BATCHED}, one per event for {@link #GATEWAY}. */
    int accountsPerRequest(int accountsPerBatchOption, int batchSize, int accounts) {
        return switch (this) {
            case BATCHED -> Math.max(1, Math.min(accountsPerBatchOption, Math.min(accounts, batchSize)));
            case GATEWAY -> batchSize;
        };
    }

    boolean grantsCredit() {
        return switch (this) {
            case BATCHED -> false;
            case GATEWAY -> true;
        };
    }

    /** Whether phase (b), the same usage one event per request, belongs to this workload. */
    boolean measuresSingleEvents() {
        return switch (this) {
            case BATCHED -> true;
            case GATEWAY -> false;
        };
    }

    /** What account {@code index} is granted when {@code events} usage events are spread over {@code accounts}. */
    static BigDecimal grant(int index, long events, int accounts) {
        BigDecimal share = HttpLoad.meanAccrualPerEvent().multiply(BigDecimal.valueOf(events))
                .divide(BigDecimal.valueOf(accounts), 2, RoundingMode.UP);
        BigDecimal amount = share.multiply(index % LOW_CREDIT_EVERY == 0 ? LOW_CREDIT_SHARE : AMPLE_CREDIT_SHARE)
                .setScale(2, RoundingMode.UP);
        return amount.max(GRANT_MIN);
    }

    static BigDecimal lowBalanceThreshold(int index, long events, int accounts) {
        return grant(index, events, accounts).divide(GRANT_TO_LOW_BALANCE_THRESHOLD, 2, RoundingMode.UP);
    }
}
