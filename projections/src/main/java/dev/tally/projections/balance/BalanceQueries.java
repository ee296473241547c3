package dev.tally.projections.balance;

import static dev.tally.projections.support.Timestamps.fromSql;
import static dev.tally.projections.support.Timestamps.toSql;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/** Reads of the balances projection. */
public class BalanceQueries {

    private final JdbcTemplate jdbc;

    public BalanceQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<AccountView> account(String accountId) {
        return jdbc.query("""
                SELECT account_id, name, currency, plan_id, billing_anchor_day, billing_start, low_balance_threshold,
                       email, opened_at, orb_customer_id, stripe_customer_id, last_position, payment_terms_days
                FROM projections.account WHERE account_id = ?""",
                (row, index) -> new AccountView(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                        row.getInt(5), fromSql(row, 6), row.getBigDecimal(7), row.getString(8),
                        fromSql(row, 9), row.getString(10), row.getString(11), row.getLong(12),
                        row.getInt(13)),
                accountId).stream().findFirst();
    }

    public Optional<BalanceView> balance(String accountId) {
        List<GrantView> grants = grants(accountId);
        return jdbc.query("""
                SELECT account_id, currency, credit_balance, unbilled, invoiced_outstanding, unapplied_cash,
                       last_position
                FROM projections.account WHERE account_id = ?""",
                (row, index) -> new BalanceView(row.getString(1), row.getString(2), row.getBigDecimal(3),
                        row.getBigDecimal(4), row.getBigDecimal(5), row.getBigDecimal(6), grants, row.getLong(7)),
                accountId).stream().findFirst();
    }

    public List<GrantView> grants(String accountId) {
        return jdbc.query("""
                SELECT grant_id, kind, amount, remaining, effective_at, expires_at, priority, description, status,
                       granted_at
                FROM projections.credit_grant WHERE account_id = ? ORDER BY granted_at, grant_id""",
                (row, index) -> new GrantView(row.getString(1), row.getString(2), row.getBigDecimal(3),
                        row.getBigDecimal(4), fromSql(row, 5), fromSql(row, 6),
                        row.getInt(7), row.getString(8), row.getString(9), fromSql(row, 10)),
                accountId);
    }

    /** Active grants whose expiry is at or before {@code now}, oldest expiry first, at most {@code limit}. */
    public List<ExpiredGrant> expiredButActive(Instant now, int limit) {
        return jdbc.query("""
                SELECT account_id, grant_id FROM projections.credit_grant
                WHERE status = 'active' AND expires_at <= ? ORDER BY expires_at LIMIT ?""",
                (row, index) -> new ExpiredGrant(row.getString(1), row.getString(2)), toSql(now), limit);
    }
}
