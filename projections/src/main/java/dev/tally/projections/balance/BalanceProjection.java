package dev.tally.projections.balance;

import static dev.tally.projections.support.Timestamps.toSql;

import dev.tally.ledger.api.account.AccountOpened;
import dev.tally.ledger.api.charge.ChargeRecorded;
import dev.tally.ledger.api.credit.CreditExpired;
import dev.tally.ledger.api.credit.CreditGranted;
import dev.tally.ledger.api.credit.CreditMovement;
import dev.tally.ledger.api.credit.CreditVoided;
import dev.tally.ledger.api.credit.Funding;
import dev.tally.ledger.api.payment.PaymentRecorded;
import dev.tally.ledger.api.payment.PaymentRefunded;
import dev.tally.ledger.api.usage.UsageRecorded;
import dev.tally.projections.support.ProcessingGroups;
import java.math.BigDecimal;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Accounts, their balance figures and their credit grants. The account row's
 * {@code last_sequence} is the redelivery guard: an event at or below it was applied already.
 */
@ProcessingGroup(ProcessingGroups.BALANCES)
public class BalanceProjection {

    private final JdbcTemplate jdbc;

    public BalanceProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(AccountOpened event, @SequenceNumber long sequence, TrackingToken token) {
        jdbc.update("""
                INSERT INTO projections.account (account_id, name, currency, plan_id, billing_anchor_day, billing_start,
                    low_balance_threshold, email, opened_at, last_sequence, last_position)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id) DO NOTHING""",
                event.accountId(), event.name(), event.currency(), event.planId(), event.billingAnchorDay(),
                toSql(event.billingStart()),
                event.lowBalanceThreshold() == null ? null : event.lowBalanceThreshold().amount(), event.email(),
                toSql(event.openedAt()), sequence, position(token));
    }

    @EventHandler
    void on(UsageRecorded event, @SequenceNumber long sequence, TrackingToken token) {
        if (firstDelivery(event.accountId(), sequence, token)) {
            applyFunding(event.accountId(), event.funding());
        }
    }

    @EventHandler
    void on(ChargeRecorded event, @SequenceNumber long sequence, TrackingToken token) {
        if (firstDelivery(event.accountId(), sequence, token)) {
            applyFunding(event.accountId(), event.funding());
        }
    }

    @EventHandler
    void on(CreditGranted event, @SequenceNumber long sequence, TrackingToken token) {
        if (!firstDelivery(event.accountId(), sequence, token)) {
            return;
        }
        jdbc.update("""
                INSERT INTO projections.credit_grant (account_id, grant_id, kind, amount, remaining, effective_at,
                    expires_at, priority, description, status, granted_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?)""",
                event.accountId(), event.grantId(), event.kind().wireName(), event.amount().amount(),
                event.amount().amount(), toSql(event.effectiveAt()), toSql(event.expiresAt()), event.priority(),
                event.description(), toSql(event.grantedAt()));
        changeBalance(event.accountId(), "credit_balance", event.amount().amount());
    }

    @EventHandler
    void on(CreditVoided event, @SequenceNumber long sequence, TrackingToken token) {
        if (firstDelivery(event.accountId(), sequence, token)) {
            forfeit(event.accountId(), event.grantId(), "voided", event.forfeited().amount());
        }
    }

    @EventHandler
    void on(CreditExpired event, @SequenceNumber long sequence, TrackingToken token) {
        if (firstDelivery(event.accountId(), sequence, token)) {
            forfeit(event.accountId(), event.grantId(), "expired", event.forfeited().amount());
        }
    }

    @EventHandler
    void on(PaymentRecorded event, @SequenceNumber long sequence, TrackingToken token) {
        if (firstDelivery(event.accountId(), sequence, token)) {
            changeBalance(event.accountId(), "unapplied_cash", event.unapplied().amount());
        }
    }

    @EventHandler
    void on(PaymentRefunded event, @SequenceNumber long sequence, TrackingToken token) {
        if (firstDelivery(event.accountId(), sequence, token)) {
            changeBalance(event.accountId(), "unapplied_cash", event.fromUnapplied().amount().negate());
        }
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM projections.credit_grant");
        jdbc.update("DELETE FROM projections.account");
    }

    private boolean firstDelivery(String accountId, long sequence, TrackingToken token) {
        return jdbc.update("""
                UPDATE projections.account SET last_sequence = ?, last_position = ?
                WHERE account_id = ? AND last_sequence < ?""", sequence, position(token), accountId, sequence) == 1;
    }

    private void applyFunding(String accountId, Funding funding) {
        for (CreditMovement drawn : funding.drawn()) {
            changeGrant(accountId, drawn.grantId(), drawn.amount().amount().negate());
        }
        for (CreditMovement restored : funding.restored()) {
            changeGrant(accountId, restored.grantId(), restored.amount().amount());
        }
        BigDecimal creditChange = funding.netCreditUsed().amount().negate();
        jdbc.update("""
                UPDATE projections.account SET credit_balance = credit_balance + ?, unbilled = unbilled + ?
                WHERE account_id = ?""", creditChange, funding.uncoveredChange().amount(), accountId);
    }

    private void changeGrant(String accountId, String grantId, BigDecimal change) {
        jdbc.update("UPDATE projections.credit_grant SET remaining = remaining + ? WHERE account_id = ? AND grant_id = ?",
                change, accountId, grantId);
    }

    private void forfeit(String accountId, String grantId, String status, BigDecimal forfeited) {
        jdbc.update("UPDATE projections.credit_grant SET remaining = 0, status = ? WHERE account_id = ? AND grant_id = ?",
                status, accountId, grantId);
        changeBalance(accountId, "credit_balance", forfeited.negate());
    }

    private void changeBalance(String accountId, String column, BigDecimal change) {
        jdbc.update("UPDATE projections.account SET " + column + " = " + column + " + ? WHERE account_id = ?",
                change, accountId);
    }

    private static long position(TrackingToken token) {
        return token == null ? 0 : token.position().orElse(0);
    }
}
