package dev.tally.replay.reconcile;

import java.util.List;

/** Stripe's side: every invoice of a customer. */
interface StripeInvoices {

    List<StripeInvoice> invoicesOf(String stripeCustomerId);
}
