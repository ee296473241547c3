package dev.tally.replay.reconcile;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Invoice;
import com.stripe.param.InvoiceListParams;
import dev.tally.integrations.stripe.MinorUnits;
import dev.tally.integrations.stripe.StripeApiGateway;
import dev.tally.replay.ToolFailure;
import java.util.ArrayList;
import java.util.List;

/** A customer's Stripe invoices, through {@code GET /v1/invoices?customer=}, every page. */
final class StripeApiInvoices implements StripeInvoices {

    /** Stripe's largest page. */
    static final long PAGE = 100;

    private final StripeClient stripe;

    StripeApiInvoices(StripeClient stripe) {
        this.stripe = stripe;
    }

    @Override
    public List<StripeInvoice> invoicesOf(String stripeCustomerId) {
        List<StripeInvoice> invoices = new ArrayList<>();
        try {
            for (Invoice invoice : stripe.v1().invoices().list(InvoiceListParams.builder().setCustomer(stripeCustomerId)
                    .setLimit(PAGE).build()).autoPagingIterable()) {
                String tallyId = invoice.getMetadata() == null ? null
                        : invoice.getMetadata().get(StripeApiGateway.INVOICE_METADATA);
                invoices.add(new StripeInvoice(invoice.getId(), tallyId, invoice.getCurrency(),
                        amount(invoice.getTotal(), invoice.getCurrency()),
                        amount(invoice.getAmountPaid(), invoice.getCurrency()), invoice.getStatus()));
            }
        } catch (StripeException failure) {
            throw new ToolFailure("cannot list the Stripe invoices of customer " + stripeCustomerId + ": "
                    + failure.getMessage(), failure);
        }
        return invoices;
    }

    private static java.math.BigDecimal amount(Long minorUnits, String currency) {
        return MinorUnits.toMoney(minorUnits == null ? 0 : minorUnits, currency).amount();
    }
}
