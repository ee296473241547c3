package dev.tally.ledger.model;

import static dev.tally.ledger.model.ScenarioInterpreter.pick;

import dev.tally.ledger.api.invoice.InvoiceIds;
import dev.tally.ledger.model.Scenario.ClosePeriod;
import dev.tally.ledger.model.Scenario.Payment;
import dev.tally.ledger.model.Scenario.Refund;
import dev.tally.ledger.model.Scenario.VoidInvoice;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The interpreter's steps about money owed: closes besides the scheduled ones (mostly refused
 * ones: too early, out of order, misaligned, replays), payments aimed at what invoices owe
 * (exactly, partly, or more), refunds that reopen settled invoices, and voids of invoices with
 * or without giving their credit back. The calculator running alongside says what is owed.
 */
final class BillingSteps {

    private static final BigDecimal CENT = new BigDecimal("0.01");

    private final ScenarioInterpreter scenario;
    private final SpecCalculator calculator;
    private final List<Payment> payments = new ArrayList<>();
    private final List<Refund> refunds = new ArrayList<>();

    BillingSteps(ScenarioInterpreter scenario, SpecCalculator calculator) {
        this.scenario = scenario;
        this.calculator = calculator;
    }

    void close(Random random) {
        Instant next = scenario.firstPeriod();
        while (calculator.isInvoiced(next)) {
            next = SpecCalculator.periodEndOf(next);
        }
        int mode = random.nextInt(100);
        Instant periodStart;
        if (mode < 55) {
            periodStart = next;
        } else if (mode < 70) {
            periodStart = scenario.periodStart(random.nextInt(2));
        } else if (mode < 82) {
            periodStart = SpecCalculator.periodEndOf(next);
        } else if (mode < 92) {
            periodStart = next.plusSeconds(ScenarioInterpreter.DAY);
        } else {
            periodStart = SpecCalculator.periodStartOf(scenario.firstPeriod().minusSeconds(1), scenario.anchorDay());
        }
        scenario.add(new ClosePeriod(scenario.now(), periodStart));
    }

    void payment(Random random) {
        int mode = random.nextInt(100);
        Payment payment;
        if (mode < 5 && !payments.isEmpty()) {
            Payment earlier = pick(random, payments);
            payment = new Payment(scenario.now(), earlier.paymentId(), earlier.amount(), earlier.method(),
                    earlier.externalRef());
        } else if (mode < 8 && !payments.isEmpty()) {
            Payment earlier = pick(random, payments);
            payment = new Payment(scenario.now(), earlier.paymentId(), earlier.amount().add(BigDecimal.TEN),
                    earlier.method(), earlier.externalRef());
        } else {
            BigDecimal amount = mode < 11 ? BigDecimal.ZERO : paymentAmount(random);
            String id = scenario.nextId("p");
            payment = new Payment(scenario.now(), id, amount, "card", random.nextBoolean() ? "pi_" + id : null);
        }
        payments.add(payment);
        scenario.add(payment);
    }

    /** With invoices owing: the oldest one's due, all that is owed, more than that, or part; else any amount. */
    private BigDecimal paymentAmount(Random random) {
        BigDecimal outstanding = calculator.invoicedOutstanding();
        BigDecimal anyAmount = BigDecimal.valueOf(random.nextInt(100, 30000), 2);
        if (outstanding.signum() <= 0) {
            return anyAmount;
        }
        BigDecimal oldestDue = calculator.invoices().stream().filter(SpecInvoice::isOpen).findFirst()
                .map(SpecInvoice::due).orElse(outstanding);
        int mode = random.nextInt(100);
        if (mode < 30) {
            return oldestDue;
        }
        if (mode < 50) {
            return outstanding;
        }
        if (mode < 70) {
            return outstanding.add(BigDecimal.valueOf(random.nextInt(1, 10000), 2));
        }
        if (mode < 85) {
            return share(oldestDue, random);
        }
        return anyAmount;
    }

    void refund(Random random) {
        int mode = random.nextInt(100);
        Refund refund;
        if (mode < 5 && !refunds.isEmpty()) {
            Refund earlier = pick(random, refunds);
            refund = new Refund(scenario.now(), earlier.refundId(), earlier.paymentId(), earlier.amount());
        } else if (mode < 8 && !refunds.isEmpty()) {
            Refund earlier = pick(random, refunds);
            refund = new Refund(scenario.now(), earlier.refundId(), earlier.paymentId(),
                    earlier.amount().add(BigDecimal.ONE));
        } else if (payments.isEmpty() || mode < 13) {
            refund = new Refund(scenario.now(), scenario.nextId("r"), "p-missing", BigDecimal.ONE);
        } else {
            Payment payment = pick(random, payments);
            refund = new Refund(scenario.now(), scenario.nextId("r"), payment.paymentId(), refundAmount(payment, random));
        }
        refunds.add(refund);
        scenario.add(refund);
    }

    /**
     * More than is left to refund; all of it (taking back every invoice it settled); its unapplied
     * cash plus part of what it settled; or a share of the payment.
     */
    private BigDecimal refundAmount(Payment payment, Random random) {
        BigDecimal refundable = calculator.refundable(payment.paymentId());
        BigDecimal unapplied = calculator.unapplied(payment.paymentId());
        int mode = random.nextInt(100);
        if (mode < 15 || refundable.signum() <= 0) {
            return refundable.add(BigDecimal.ONE);
        }
        if (mode < 40) {
            return refundable;
        }
        if (mode < 65) {
            return unapplied.add(share(refundable.subtract(unapplied), random)).min(refundable);
        }
        return share(payment.amount(), random);
    }

    /** A void of an invoice that owes something (mostly), a paid or voided one, or an unknown one. */
    void voidInvoice(Random random) {
        List<SpecInvoice> invoices = calculator.invoices();
        List<SpecInvoice> open = invoices.stream().filter(SpecInvoice::isOpen).toList();
        int mode = random.nextInt(100);
        String invoiceId;
        if (invoices.isEmpty() || mode < 5) {
            invoiceId = InvoiceIds.of(ScenarioGenerator.ACCOUNT_ID, Instant.EPOCH);
        } else if (mode < 75 && !open.isEmpty()) {
            invoiceId = pick(random, open).invoiceId;
        } else {
            invoiceId = pick(random, invoices).invoiceId;
        }
        scenario.add(new VoidInvoice(scenario.now(), invoiceId, random.nextBoolean()));
    }

    /** 1-99 % of {@code amount}, in cents, at least a cent. */
    private static BigDecimal share(BigDecimal amount, Random random) {
        return amount.multiply(BigDecimal.valueOf(random.nextInt(1, 100), 2)).setScale(2, RoundingMode.HALF_UP)
                .max(CENT);
    }
}
