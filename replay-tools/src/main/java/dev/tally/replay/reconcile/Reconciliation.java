package dev.tally.replay.reconcile;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Compares the ledger's month with Orb and Stripe. The ledger is the system of record, so every
 * figure is reported as the ledger's beside the other side's, and a side that was not asked is
 * skipped rather than assumed to agree.
 */
final class Reconciliation {

    private final LedgerPeriod ledger;

    Reconciliation(LedgerPeriod ledger) {
        this.ledger = ledger;
    }

    /** Usage per customer and meter: the same number of events and the same total quantity. */
    List<Mismatch> usageAgainst(OrbUsage orb) {
        Map<UsageKey, UsageTotal> theirs = orb.totals(ledger.usageKeysByAccount());
        List<Mismatch> mismatches = new ArrayList<>();
        TreeSet<UsageKey> keys = new TreeSet<>(ledger.usage().keySet());
        keys.addAll(theirs.keySet());
        for (UsageKey key : keys) {
            UsageTotal ours = ledger.usage().getOrDefault(key, UsageTotal.NONE);
            UsageTotal orbs = theirs.getOrDefault(key, UsageTotal.NONE);
            if (!ours.agreesWith(orbs)) {
                String problem = ours.events() > orbs.events() ? (ours.events() - orbs.events()) + " event(s) missing in Orb"
                        : ours.events() < orbs.events() ? (orbs.events() - ours.events()) + " event(s) Orb has more"
                        : "same events, different quantities";
                mismatches.add(new Mismatch("orb", "usage " + key.accountId() + " " + key.meter(), describe(ours),
                        describe(orbs), problem));
            }
        }
        return mismatches;
    }

    /**
     * Each invoice of the month that asked for money has exactly one Stripe invoice with the same
     * total, and the same paid amount and state; Stripe invoices that name a ledger invoice the
     * ledger never issued are reported too.
     */
    List<Mismatch> invoicesAgainst(StripeInvoices stripe) {
        List<Mismatch> mismatches = new ArrayList<>();
        Map<String, LedgerInvoice> due = ledger.invoicesToCollect();
        Map<String, List<StripeInvoice>> byTallyId = new java.util.HashMap<>();
        for (Map.Entry<String, String> customer : ledger.stripeCustomers().entrySet()) {
            for (StripeInvoice invoice : stripe.invoicesOf(customer.getValue())) {
                if (invoice.tallyInvoiceId() == null) {
                    continue;
                }
                if (!ledger.knowsInvoice(invoice.tallyInvoiceId())) {
                    mismatches.add(new Mismatch("stripe", "invoice " + invoice.id() + " of " + customer.getKey(),
                            "none", describe(invoice), "names ledger invoice " + invoice.tallyInvoiceId()
                            + ", which the ledger never issued"));
                } else {
                    byTallyId.computeIfAbsent(invoice.tallyInvoiceId(), id -> new ArrayList<>()).add(invoice);
                }
            }
        }
        for (LedgerInvoice ours : due.values()) {
            String subject = "invoice " + ours.number() + " (" + ours.accountId() + ")";
            List<StripeInvoice> theirs = byTallyId.getOrDefault(ours.invoiceId(), List.of()).stream()
                    .filter(invoice -> !"void".equals(invoice.status()) || ours.voided()).toList();
            if (!ledger.stripeCustomers().containsKey(ours.accountId())) {
                mismatches.add(new Mismatch("stripe", subject, describe(ours), "no customer",
                        "the account has no Stripe customer"));
            } else if (theirs.isEmpty()) {
                mismatches.add(new Mismatch("stripe", subject, describe(ours), "no invoice", "missing in Stripe"));
            } else if (theirs.size() > 1) {
                mismatches.add(new Mismatch("stripe", subject, describe(ours), theirs.size() + " invoices",
                        "billed more than once"));
            } else {
                StripeInvoice invoice = theirs.get(0);
                String problem = problemOf(ours, invoice);
                if (problem != null) {
                    mismatches.add(new Mismatch("stripe", subject, describe(ours), describe(invoice), problem));
                }
            }
        }
        return mismatches;
    }

    private static String problemOf(LedgerInvoice ours, StripeInvoice theirs) {
        if (!ours.currency().equalsIgnoreCase(theirs.currency())) {
            return "currency differs";
        }
        if (ours.toCollect().compareTo(theirs.total()) != 0) {
            return "total differs";
        }
        if (ours.voided() != "void".equals(theirs.status())) {
            return ours.voided() ? "void in the ledger only" : "void in Stripe only";
        }
        if (ours.paidViaStripe().compareTo(theirs.amountPaid()) != 0) {
            return "amount paid differs";
        }
        if (ours.isCollectedByStripe() != theirs.isPaid()) {
            return ours.isCollectedByStripe() ? "paid in the ledger only" : "paid in Stripe only";
        }
        if (ours.isPaid() && "open".equals(theirs.status())) {
            return "settled in the ledger by other payments, still open in Stripe (the customer could pay twice)";
        }
        return null;
    }

    private static String describe(UsageTotal total) {
        return plain(total.quantity()) + " in " + total.events() + " event(s)";
    }

    private static String describe(LedgerInvoice invoice) {
        return "to collect " + plain(invoice.toCollect()) + " " + invoice.currency() + ", paid through Stripe "
                + plain(invoice.paidViaStripe()) + (invoice.voided() ? ", void" : invoice.isPaid() ? ", paid in full" : "");
    }

    private static String describe(StripeInvoice invoice) {
        return invoice.id() + " total " + plain(invoice.total()) + " " + invoice.currency().toUpperCase(java.util.Locale.ROOT)
                + ", paid " + plain(invoice.amountPaid()) + ", " + invoice.status();
    }

    private static String plain(BigDecimal amount) {
        return amount.stripTrailingZeros().toPlainString();
    }
}
