package dev.tally.projections.balance;

import static dev.tally.projections.support.Timestamps.toSql;

import dev.tally.ledger.api.account.AccountOpened;
import dev.tally.ledger.api.account.ExternalCustomerLinked;
import dev.tally.ledger.api.charge.ChargeRecorded;
import dev.tally.ledger.api.credit.CreditExpired;
import dev.tally.ledger.api.credit.CreditGranted;
import dev.tally.ledger.api.credit.CreditMovement;
import dev.tally.ledger.api.credit.CreditVoided;
import dev.tally.ledger.api.credit.Funding;
import dev.tally.ledger.api.invoice.InvoiceIssued;
import dev.tally.ledger.api.invoice.InvoiceVoided;
import dev.tally.ledger.api.invoice.ReturnedCredit;
import dev.tally.ledger.api.invoice.Settlement;
import dev.tally.ledger.api.payment.PaymentRecorded;
import dev.tally.ledger.api.payment.PaymentRefunded;
import dev.tally.ledger.api.usage.UsageBatchRecorded;
import dev.tally.ledger.api.usage.UsageRecorded;
import dev.tally.projections.support.ProjectionSchema;
import dev.tally.projections.support.TrackedEvent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The net effect of a batch of balance events, written in five JDBC batches: new accounts, new
 * grants, grant remainders, grant endings, account figures. Amounts are summed per row first
 * (sums are exact), and endings come after remainders so that a grant voided or expired in the
 * batch ends at zero whatever was drawn from it before.
 */
final class BalanceWrites {

    private record GrantKey(String accountId, String grantId) {
    }

    private static final class AccountChange {
        BigDecimal credit = BigDecimal.ZERO;
        BigDecimal unbilled = BigDecimal.ZERO;
        BigDecimal unappliedCash = BigDecimal.ZERO;
        BigDecimal invoicedOutstanding = BigDecimal.ZERO;
        long lastSequence;
        long lastPosition;
    }

    private final ProjectionSchema schema;
    private final List<Object[]> newAccounts = new ArrayList<>();
    private final List<Object[]> newGrants = new ArrayList<>();
    private final Map<GrantKey, BigDecimal> grantChanges = new LinkedHashMap<>();
    private final Map<GrantKey, String> grantEndings = new LinkedHashMap<>();
    private final Map<String, AccountChange> accountChanges = new LinkedHashMap<>();
    private final List<Object[]> orbLinks = new ArrayList<>();
    private final List<Object[]> stripeLinks = new ArrayList<>();

    BalanceWrites(ProjectionSchema schema) {
        this.schema = schema;
    }

    void open(AccountOpened event, long sequence, long position) {
        newAccounts.add(BalanceProjection.accountRow(event, sequence, position));
    }

    void apply(TrackedEvent tracked) {
        AccountChange account = accountChanges.computeIfAbsent(tracked.accountId(), id -> new AccountChange());
        account.lastSequence = tracked.sequence();
        account.lastPosition = tracked.position();
        Object payload = tracked.payload();
        if (payload instanceof UsageRecorded usage) {
            fund(account, usage.accountId(), usage.funding());
        } else if (payload instanceof UsageBatchRecorded batch) {
            batch.usages().forEach(usage -> fund(account, usage.accountId(), usage.funding()));
        } else if (payload instanceof ChargeRecorded charge) {
            fund(account, charge.accountId(), charge.funding());
        } else if (payload instanceof CreditGranted grant) {
            newGrants.add(new Object[]{grant.accountId(), grant.grantId(), grant.kind().wireName(),
                    grant.amount().amount(), grant.amount().amount(), toSql(grant.effectiveAt()),
                    toSql(grant.expiresAt()), grant.priority(), grant.description(), toSql(grant.grantedAt())});
            account.credit = account.credit.add(grant.amount().amount());
        } else if (payload instanceof CreditVoided voided) {
            grantEndings.put(new GrantKey(voided.accountId(), voided.grantId()), "voided");
            account.credit = account.credit.subtract(voided.forfeited().amount());
        } else if (payload instanceof CreditExpired expired) {
            grantEndings.put(new GrantKey(expired.accountId(), expired.grantId()), "expired");
            account.credit = account.credit.subtract(expired.forfeited().amount());
        } else if (payload instanceof InvoiceIssued invoice) {
            fund(account, invoice.accountId(), new Funding(invoice.issueFunding().drawn(), List.of(),
                    invoice.billedUncovered().negate()));
            BigDecimal settled = invoice.amountSettledAtIssue().amount();
            account.invoicedOutstanding = account.invoicedOutstanding.add(invoice.total().amount()).subtract(settled);
            account.unappliedCash = account.unappliedCash.subtract(settled);
        } else if (payload instanceof InvoiceVoided voided) {
            account.invoicedOutstanding = account.invoicedOutstanding.subtract(voided.writtenOff().amount());
            for (ReturnedCredit credit : voided.returnedCredits()) {
                if (!credit.forfeited()) {
                    grantChanges.merge(new GrantKey(voided.accountId(), credit.grantId()), credit.amount().amount(),
                            BigDecimal::add);
                    account.credit = account.credit.add(credit.amount().amount());
                }
            }
        } else if (payload instanceof ExternalCustomerLinked linked) {
            (switch (linked.system()) {
                case ORB -> orbLinks;
                case STRIPE -> stripeLinks;
            }).add(new Object[]{linked.externalId(), linked.accountId()});
        } else if (payload instanceof PaymentRecorded payment) {
            account.unappliedCash = account.unappliedCash.add(payment.unapplied().amount());
            account.invoicedOutstanding = account.invoicedOutstanding.subtract(settled(payment.settlements()));
        } else if (payload instanceof PaymentRefunded refund) {
            account.unappliedCash = account.unappliedCash.subtract(refund.fromUnapplied().amount());
            account.invoicedOutstanding = account.invoicedOutstanding.add(settled(refund.reopened()));
        }
    }

    private static BigDecimal settled(List<Settlement> settlements) {
        return settlements.stream().map(settlement -> settlement.amount().amount()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private void fund(AccountChange account, String accountId, Funding funding) {
        for (CreditMovement drawn : funding.drawn()) {
            grantChanges.merge(new GrantKey(accountId, drawn.grantId()), drawn.amount().amount().negate(), BigDecimal::add);
        }
        for (CreditMovement restored : funding.restored()) {
            grantChanges.merge(new GrantKey(accountId, restored.grantId()), restored.amount().amount(), BigDecimal::add);
        }
        account.credit = account.credit.subtract(funding.netCreditUsed().amount());
        account.unbilled = account.unbilled.add(funding.uncoveredChange().amount());
    }

    void flush(JdbcTemplate jdbc) {
        if (!newAccounts.isEmpty()) {
            jdbc.batchUpdate(schema.sql("""
                    INSERT INTO %1$s.account (account_id, name, currency, plan_id, billing_anchor_day,
                        billing_start, low_balance_threshold, email, opened_at, payment_terms_days, last_sequence,
                        last_position)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id) DO NOTHING"""), newAccounts);
        }
        if (!newGrants.isEmpty()) {
            jdbc.batchUpdate(schema.sql("""
                    INSERT INTO %1$s.credit_grant (account_id, grant_id, kind, amount, remaining, effective_at,
                        expires_at, priority, description, status, granted_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?)"""), newGrants);
        }
        if (!grantChanges.isEmpty()) {
            List<Object[]> rows = new ArrayList<>();
            grantChanges.forEach((key, change) -> rows.add(new Object[]{change, key.accountId(), key.grantId()}));
            jdbc.batchUpdate(schema.sql("""
                    UPDATE %1$s.credit_grant SET remaining = remaining + ?
                    WHERE account_id = ? AND grant_id = ?"""), rows);
        }
        if (!grantEndings.isEmpty()) {
            List<Object[]> rows = new ArrayList<>();
            grantEndings.forEach((key, status) -> rows.add(new Object[]{status, key.accountId(), key.grantId()}));
            jdbc.batchUpdate(schema.sql("""
                    UPDATE %1$s.credit_grant SET remaining = 0, status = ?
                    WHERE account_id = ? AND grant_id = ?"""), rows);
        }
        if (!orbLinks.isEmpty()) {
            jdbc.batchUpdate(schema.sql("UPDATE %1$s.account SET orb_customer_id = ? WHERE account_id = ?"), orbLinks);
        }
        if (!stripeLinks.isEmpty()) {
            jdbc.batchUpdate(schema.sql("UPDATE %1$s.account SET stripe_customer_id = ? WHERE account_id = ?"),
                    stripeLinks);
        }
        if (!accountChanges.isEmpty()) {
            List<Object[]> rows = new ArrayList<>();
            accountChanges.forEach((accountId, change) -> rows.add(new Object[]{change.credit, change.unbilled,
                    change.unappliedCash, change.invoicedOutstanding, change.lastSequence, change.lastPosition,
                    accountId}));
            jdbc.batchUpdate(schema.sql("""
                    UPDATE %1$s.account SET credit_balance = credit_balance + ?, unbilled = unbilled + ?,
                        unapplied_cash = unapplied_cash + ?, invoiced_outstanding = invoiced_outstanding + ?,
                        last_sequence = ?, last_position = ?
                    WHERE account_id = ?"""), rows);
        }
    }
}
