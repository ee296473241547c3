package dev.tally.ledger.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ledger.api.charge.ChargeRecorded;
import dev.tally.ledger.api.credit.CreditExpired;
import dev.tally.ledger.api.credit.CreditGranted;
import dev.tally.ledger.api.credit.CreditMovement;
import dev.tally.ledger.api.credit.CreditVoided;
import dev.tally.ledger.api.credit.Funding;
import dev.tally.ledger.api.invoice.InvoiceIssued;
import dev.tally.ledger.api.invoice.InvoiceLine;
import dev.tally.ledger.api.invoice.InvoiceVoided;
import dev.tally.ledger.api.invoice.ReturnedCredit;
import dev.tally.ledger.api.invoice.Settlement;
import dev.tally.ledger.api.journal.Posting;
import dev.tally.ledger.api.money.Money;
import dev.tally.ledger.api.payment.PaymentRecorded;
import dev.tally.ledger.api.payment.PaymentRefunded;
import dev.tally.ledger.api.usage.UsageBatchRecorded;
import dev.tally.ledger.api.usage.UsageRecorded;
import dev.tally.ledger.balance.BalanceFold;
import dev.tally.ledger.journal.JournalEntries;
import dev.tally.ledger.model.LedgerFigures.InvoiceFigures;
import dev.tally.ledger.model.LedgerFigures.LineFigures;
import dev.tally.ledger.model.LedgerFigures.MeterPeriod;
import dev.tally.ledger.model.LedgerFigures.StepOutcome;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Folds the events the ledger recorded into {@link LedgerFigures}. The balance figures come from
 * {@link BalanceFold}, the reference the balance projection is tested against; grant remainders,
 * invoices and the journal are folded here. Along the way it checks what must hold for every
 * event: its journal entry balances and posts no negative amount, every funding adds up to the
 * amount it pays for, and credit moves only on grants still live.
 */
final class LedgerFold {

    private final String currency;
    private final BalanceFold balance = new BalanceFold();
    private final Map<String, BigDecimal> remaining = new TreeMap<>();
    private final Set<String> gone = new HashSet<>();
    private final Map<MeterPeriod, BigDecimal> quantities = new HashMap<>();
    private final Map<MeterPeriod, BigDecimal> accruals = new HashMap<>();
    private final Map<Instant, BigDecimal> uncovered = new TreeMap<>();
    private final Map<String, InvoiceState> invoices = new LinkedHashMap<>();
    private final Map<String, BigDecimal> journal = new TreeMap<>();

    LedgerFold(String currency) {
        this.currency = currency;
    }

    static LedgerFigures figuresOf(String currency, List<Object> history, List<StepOutcome> outcomes) {
        LedgerFold fold = new LedgerFold(currency);
        history.forEach(fold::apply);
        return fold.figures(outcomes);
    }

    private void applyUsage(UsageRecorded usage) {
        MeterPeriod key = new MeterPeriod(usage.periodStart(), usage.meter());
        BigDecimal before = quantities.getOrDefault(key, BigDecimal.ZERO);
        assertThat(usage.cumulativeQuantity()).as("cumulative quantity of %s", usage.idempotencyKey())
                .isEqualByComparingTo(before.add(usage.quantity()));
        quantities.put(key, usage.cumulativeQuantity());
        accruals.merge(key, usage.accrual().amount(), BigDecimal::add);
        Money covered = usage.coveredByMinimum();
        if (!usage.late()) {
            assertThat(covered.isZero()).as("usage on time is never covered by a minimum: %s", usage).isTrue();
        }
        assertThat(covered.signum() == 0 || covered.signum() == usage.accrual().signum())
                .as("the covered part of %s has the accrual's sign", usage.idempotencyKey()).isTrue();
        assertThat(covered.amount().abs()).as("the covered part of %s", usage.idempotencyKey())
                .isLessThanOrEqualTo(usage.accrual().amount().abs());
        applyFunding(usage.billedAccrual(), usage.funding(), usage.periodStart());
    }

    private void apply(Object event) {
        balance.apply(event);
        if (event instanceof UsageBatchRecorded batch) {
            batch.usages().forEach(this::applyUsage);
        } else if (event instanceof UsageRecorded usage) {
            applyUsage(usage);
        } else if (event instanceof ChargeRecorded charge) {
            applyFunding(charge.amount(), charge.funding(), charge.periodStart());
        } else if (event instanceof CreditGranted grant) {
            assertThat(remaining).doesNotContainKey(grant.grantId());
            remaining.put(grant.grantId(), grant.amount().amount());
        } else if (event instanceof CreditVoided voided) {
            forfeit(voided.grantId(), voided.forfeited());
        } else if (event instanceof CreditExpired expired) {
            forfeit(expired.grantId(), expired.forfeited());
        } else if (event instanceof InvoiceIssued invoice) {
            issued(invoice);
        } else if (event instanceof InvoiceVoided voided) {
            voided(voided);
        } else if (event instanceof PaymentRecorded payment) {
            payment.settlements().forEach(settlement -> settle(settlement, BigDecimal.ONE));
        } else if (event instanceof PaymentRefunded refund) {
            refund.reopened().forEach(settlement -> settle(settlement, BigDecimal.ONE.negate()));
        }
        post(event);
    }

    private void applyFunding(Money amount, Funding funding, Instant periodStart) {
        assertThat(amount.amount()).as("funding adds up to %s", amount)
                .isEqualByComparingTo(funding.totalDrawn().minus(funding.totalRestored()).plus(funding.uncoveredChange())
                        .amount());
        if (amount.signum() >= 0) {
            assertThat(funding.restored()).as("a positive amount restores nothing").isEmpty();
            assertThat(funding.uncoveredChange().signum()).isGreaterThanOrEqualTo(0);
        } else {
            assertThat(funding.drawn()).as("a negative amount draws nothing").isEmpty();
            assertThat(funding.uncoveredChange().signum()).isLessThanOrEqualTo(0);
        }
        funding.drawn().forEach(this::draw);
        for (CreditMovement restored : funding.restored()) {
            giveBack(restored.grantId(), restored.amount(), "restores");
        }
        uncovered.merge(periodStart, funding.uncoveredChange().amount(), BigDecimal::add);
    }

    private void draw(CreditMovement drawn) {
        assertThat(drawn.amount().isPositive()).as("a draw is positive").isTrue();
        assertThat(gone).as("draws only on live grants").doesNotContain(drawn.grantId());
        remaining.merge(drawn.grantId(), drawn.amount().amount().negate(), BigDecimal::add);
        assertThat(remaining.get(drawn.grantId()).signum()).as("grant %s overdrawn", drawn.grantId())
                .isGreaterThanOrEqualTo(0);
    }

    private void giveBack(String grantId, Money amount, String what) {
        assertThat(amount.isPositive()).as("%s a positive amount", what).isTrue();
        assertThat(gone).as("%s only to live grants", what).doesNotContain(grantId);
        remaining.merge(grantId, amount.amount(), BigDecimal::add);
    }

    private void forfeit(String grantId, Money forfeited) {
        assertThat(gone).as("grant %s is forfeited once", grantId).doesNotContain(grantId);
        assertThat(forfeited.amount()).as("forfeited remainder of %s", grantId)
                .isEqualByComparingTo(remaining.get(grantId));
        remaining.put(grantId, BigDecimal.ZERO);
        gone.add(grantId);
    }

    private void issued(InvoiceIssued invoice) {
        assertThat(invoices).as("one invoice per period").doesNotContainKey(invoice.invoiceId());
        assertThat(invoice.issueFunding().restored()).as("issue-time funding restores nothing").isEmpty();
        invoice.issueFunding().drawn().forEach(this::draw);
        List<LineFigures> lines = invoice.lines().stream().map(LedgerFold::lineFigures).toList();
        InvoiceState state = new InvoiceState(invoice, lines);
        invoices.put(invoice.invoiceId(), state);
        for (Settlement settlement : invoice.settlements()) {
            assertThat(settlement.invoiceId()).as("settled at issue").isEqualTo(invoice.invoiceId());
            settle(settlement, BigDecimal.ONE);
        }
    }

    private static LineFigures lineFigures(InvoiceLine line) {
        return new LineFigures(line.kind(), line.meter(), line.periodStart(), line.chargeId(),
                line.exactAmount().amount(), line.amount().amount());
    }

    private void voided(InvoiceVoided voided) {
        InvoiceState invoice = invoices.get(voided.invoiceId());
        assertThat(invoice.voided).as("voided once").isFalse();
        assertThat(voided.writtenOff().amount()).as("written off = unpaid total of %s", voided.number())
                .isEqualByComparingTo(invoice.issued.total().amount().subtract(invoice.paid));
        invoice.voided = true;
        for (ReturnedCredit credit : voided.returnedCredits()) {
            if (!credit.forfeited()) {
                giveBack(credit.grantId(), credit.amount(), "a void gives credit back");
            }
        }
    }

    /** Adds ({@code sign} 1) or takes back ({@code sign} −1) a settlement on its invoice. */
    private void settle(Settlement settlement, BigDecimal sign) {
        InvoiceState invoice = invoices.get(settlement.invoiceId());
        assertThat(invoice).as("settles a known invoice").isNotNull();
        assertThat(invoice.voided).as("no settlement moves on a voided invoice").isFalse();
        assertThat(settlement.amount().isPositive()).as("a settlement is positive").isTrue();
        invoice.paid = invoice.paid.add(settlement.amount().amount().multiply(sign));
        assertThat(invoice.paid.signum()).as("paid on %s", settlement.invoiceId()).isGreaterThanOrEqualTo(0);
        assertThat(invoice.paid).as("paid on %s", settlement.invoiceId())
                .isLessThanOrEqualTo(invoice.issued.total().amount());
    }

    private void post(Object event) {
        BigDecimal debits = BigDecimal.ZERO;
        BigDecimal credits = BigDecimal.ZERO;
        for (Posting posting : JournalEntries.postingsFor(event)) {
            assertThat(posting.debit().currency()).isEqualTo(currency);
            assertThat(posting.credit().currency()).isEqualTo(currency);
            assertThat(posting.debit().isNegative() || posting.credit().isNegative())
                    .as("no negative posting in %s", posting).isFalse();
            assertThat(posting.debit().isZero() != posting.credit().isZero())
                    .as("exactly one side of %s is non-zero", posting).isTrue();
            debits = debits.add(posting.debit().amount());
            credits = credits.add(posting.credit().amount());
            journal.merge(posting.ledgerAccount(), posting.debit().amount().subtract(posting.credit().amount()),
                    BigDecimal::add);
        }
        assertThat(debits).as("the entry of %s balances", event).isEqualByComparingTo(credits);
    }

    private LedgerFigures figures(List<StepOutcome> outcomes) {
        BigDecimal liveBalance = remaining.entrySet().stream().filter(entry -> !gone.contains(entry.getKey()))
                .map(Map.Entry::getValue).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(liveBalance).as("Σ live grant remainders folded here = BalanceFold's creditBalance")
                .isEqualByComparingTo(balance.creditBalance());
        List<InvoiceFigures> invoiceFigures = invoices.values().stream().map(InvoiceState::figures).toList();
        BigDecimal outstanding = invoiceFigures.stream().filter(invoice -> !invoice.voided())
                .map(invoice -> invoice.total().subtract(invoice.paid())).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(outstanding).as("Σ (total − paid) of the invoices = BalanceFold's invoicedOutstanding")
                .isEqualByComparingTo(balance.invoicedOutstanding());
        return new LedgerFigures(outcomes, remaining, balance.creditBalance(), quantities, accruals, uncovered,
                invoiceFigures, balance.unbilled(), balance.invoicedOutstanding(), balance.unappliedCash(),
                balance.amountDue(), journal, Map.of());
    }

    /** An issued invoice and what happened to it since. */
    private static final class InvoiceState {
        final InvoiceIssued issued;
        final List<LineFigures> lines;
        BigDecimal paid = BigDecimal.ZERO;
        boolean voided;

        InvoiceState(InvoiceIssued issued, List<LineFigures> lines) {
            this.issued = issued;
            this.lines = lines;
        }

        InvoiceFigures figures() {
            return new InvoiceFigures(issued.invoiceId(), issued.periodStart(), lines, issued.subtotal().amount(),
                    issued.creditsApplied().amount(), issued.total().amount(),
                    issued.issueFunding().totalDrawn().amount(), issued.creditCarriedForward().amount(), paid, voided);
        }
    }
}
