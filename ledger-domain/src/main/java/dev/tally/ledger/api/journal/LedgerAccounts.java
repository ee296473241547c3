package dev.tally.ledger.api.journal;

/** The names of the journal's ledger accounts (spec section 7). */
public final class LedgerAccounts {

    public static final String CASH = "cash";
    public static final String REVENUE_FEES = "revenue:fees";
    public static final String PROMOTIONS = "promotions";
    public static final String BREAKAGE = "breakage";
    public static final String ROUNDING = "rounding";

    private LedgerAccounts() {
    }

    public static String receivable(String accountId) {
        return "receivable:" + accountId;
    }

    public static String credits(String accountId) {
        return "credits:" + accountId;
    }

    public static String usageRevenue(String meter) {
        return "revenue:usage:" + meter;
    }
}
