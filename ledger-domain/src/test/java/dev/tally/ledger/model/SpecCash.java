package dev.tally.ledger.model;

import dev.tally.ledger.model.LedgerFigures.Outcome;
import dev.tally.ledger.model.Scenario.Payment;
import dev.tally.ledger.model.Scenario.Refund;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Spec section 6 as the calculator reads it: a payment settles open invoices oldest first and
 * holds the rest as unapplied cash; a new invoice takes unapplied cash at issue, oldest payment
 * first; a refund takes the payment's unapplied cash first, then reopens what the payment
 * settled, newest invoice first, never a voided one. A refund that cannot be found that way is
 * rejected, as is one above what is left of the payment.
 */
final class SpecCash {

    private final String accountId;
    private final SpecJournal journal;
    private final RuleCoverage coverage;
    /** In the order received: unapplied cash is used oldest payment first. */
    private final Map<String, PaymentState> payments = new LinkedHashMap<>();
    private final Map<String, Refund> refunds = new HashMap<>();

    SpecCash(String accountId, SpecJournal journal, RuleCoverage coverage) {
        this.accountId = accountId;
        this.journal = journal;
        this.coverage = coverage;
    }

    /** {@code invoices} in issue order, which is period order. */
    Outcome payment(Payment command, Collection<SpecInvoice> invoices) {
        PaymentState existing = payments.get(command.paymentId());
        if (existing != null) {
            boolean sameContent = existing.command.amount().compareTo(command.amount()) == 0
                    && Objects.equals(existing.command.method(), command.method())
                    && Objects.equals(existing.command.externalRef(), command.externalRef());
            return sameContent ? Outcome.DUPLICATE : Outcome.REJECTED;
        }
        if (command.amount().signum() <= 0 || command.method() == null || command.method().isBlank()) {
            return Outcome.REJECTED;
        }
        PaymentState payment = new PaymentState(command);
        payments.put(command.paymentId(), payment);
        BigDecimal left = command.amount();
        for (SpecInvoice invoice : invoices) {
            if (left.signum() > 0 && invoice.isOpen()) {
                BigDecimal part = left.min(invoice.due());
                payment.settle(invoice, part);
                left = left.subtract(part);
                coverage.count(invoice.isOpen() ? "payment settled part of an invoice" : "payment settled an invoice in full");
            }
        }
        payment.unapplied = left;
        if (left.signum() > 0 && left.compareTo(command.amount()) < 0) {
            coverage.count("payment above what invoices owed");
        }
        journal.debit("cash", command.amount());
        journal.credit("receivable:" + accountId, command.amount());
        return Outcome.ACCEPTED;
    }

    /** Applies unapplied cash, oldest payment first, to an invoice being issued. */
    void settleAtIssue(SpecInvoice invoice) {
        for (PaymentState payment : payments.values()) {
            if (invoice.due().signum() > 0 && payment.unapplied.signum() > 0) {
                BigDecimal part = payment.unapplied.min(invoice.due());
                payment.unapplied = payment.unapplied.subtract(part);
                payment.settle(invoice, part);
                coverage.count("unapplied cash settled an invoice at issue");
            }
        }
    }

    Outcome refund(Refund command) {
        Refund existing = refunds.get(command.refundId());
        if (existing != null) {
            boolean sameContent = existing.paymentId().equals(command.paymentId())
                    && existing.amount().compareTo(command.amount()) == 0;
            return sameContent ? Outcome.DUPLICATE : Outcome.REJECTED;
        }
        PaymentState payment = payments.get(command.paymentId());
        if (payment == null || command.amount().signum() <= 0 || command.amount().compareTo(payment.refundable()) > 0) {
            return Outcome.REJECTED;
        }
        BigDecimal fromUnapplied = command.amount().min(payment.unapplied);
        BigDecimal left = command.amount().subtract(fromUnapplied);
        List<Reopening> reopenings = new ArrayList<>();
        List<SpecInvoice> newestFirst = new ArrayList<>(payment.settled.keySet());
        Collections.reverse(newestFirst);
        for (SpecInvoice invoice : newestFirst) {
            if (left.signum() > 0 && !invoice.voided) {
                BigDecimal part = left.min(payment.settled.get(invoice));
                reopenings.add(new Reopening(invoice, part));
                left = left.subtract(part);
            }
        }
        if (left.signum() > 0) {
            coverage.count("refund refused: the payment went to a voided invoice");
            return Outcome.REJECTED;
        }
        refunds.put(command.refundId(), command);
        payment.refunded = payment.refunded.add(command.amount());
        payment.unapplied = payment.unapplied.subtract(fromUnapplied);
        for (Reopening reopening : reopenings) {
            payment.takeBack(reopening.invoice, reopening.amount);
            coverage.count("refund reopened an invoice");
        }
        journal.debit("receivable:" + accountId, command.amount());
        journal.credit("cash", command.amount());
        return Outcome.ACCEPTED;
    }

    BigDecimal unappliedCash() {
        return payments.values().stream().map(payment -> payment.unapplied).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** What is left of a payment to refund, zero for an unknown one; for the generator. */
    BigDecimal refundable(String paymentId) {
        PaymentState payment = payments.get(paymentId);
        return payment == null ? BigDecimal.ZERO : payment.refundable();
    }

    /** A payment's unapplied cash, zero for an unknown one; for the generator. */
    BigDecimal unapplied(String paymentId) {
        PaymentState payment = payments.get(paymentId);
        return payment == null ? BigDecimal.ZERO : payment.unapplied;
    }

    private record Reopening(SpecInvoice invoice, BigDecimal amount) {
    }

    private static final class PaymentState {
        final Payment command;
        /** Per invoice it settled, in the order it first settled them, how much of it that invoice still holds. */
        final Map<SpecInvoice, BigDecimal> settled = new LinkedHashMap<>();
        BigDecimal unapplied = BigDecimal.ZERO;
        BigDecimal refunded = BigDecimal.ZERO;

        PaymentState(Payment command) {
            this.command = command;
        }

        BigDecimal refundable() {
            return command.amount().subtract(refunded);
        }

        void settle(SpecInvoice invoice, BigDecimal part) {
            settled.merge(invoice, part, BigDecimal::add);
            invoice.paid = invoice.paid.add(part);
        }

        void takeBack(SpecInvoice invoice, BigDecimal part) {
            BigDecimal left = settled.get(invoice).subtract(part);
            if (left.signum() == 0) {
                settled.remove(invoice);
            } else {
                settled.put(invoice, left);
            }
            invoice.paid = invoice.paid.subtract(part);
        }
    }
}
