package dev.tally.integrations.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.CardException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.Invoice;
import com.stripe.model.InvoiceItem;
import com.stripe.model.InvoicePayment;
import com.stripe.model.Refund;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.InvoiceCreateParams;
import com.stripe.param.InvoiceFinalizeInvoiceParams;
import com.stripe.param.InvoiceItemCreateParams;
import com.stripe.param.InvoiceItemListParams;
import com.stripe.param.InvoiceListParams;
import com.stripe.param.InvoicePayParams;
import com.stripe.param.InvoiceRetrieveParams;
import com.stripe.param.RefundListParams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** {@link StripeGateway} on stripe-java. Every write carries an idempotency key from {@link IdempotencyKeys}. */
public class StripeApiGateway implements StripeGateway {

    public static final String ACCOUNT_METADATA = "tally_account_id";
    public static final String INVOICE_METADATA = "tally_invoice_id";
    public static final String LINE_METADATA = "tally_line";
    /** Invoices of one customer read when looking for the one Tally already created (newest first). */
    static final long INVOICE_LOOKUP_LIMIT = 100;
    /** Items of one invoice read when resuming; a ledger invoice has far fewer lines. */
    static final long ITEM_LOOKUP_LIMIT = 100;
    /** Refunds of one charge read at a time; Stripe's maximum page. */
    static final long REFUND_LOOKUP_LIMIT = 100;

    private static final Logger log = LoggerFactory.getLogger(StripeApiGateway.class);

    private final StripeClient stripe;

    public StripeApiGateway(StripeClient stripe) {
        this.stripe = Objects.requireNonNull(stripe, "stripe");
    }

    @Override
    public String createCustomer(String accountId, String name, String email) {
        CustomerCreateParams.Builder params = CustomerCreateParams.builder().putMetadata(ACCOUNT_METADATA, accountId);
        if (name != null) {
            params.setName(name);
        }
        if (email != null) {
            params.setEmail(email);
        }
        try {
            return stripe.v1().customers().create(params.build(), key(IdempotencyKeys.customer(accountId))).getId();
        } catch (InvalidRequestException refused) {
            if (email == null || !("email".equals(refused.getParam()) || "email_invalid".equals(refused.getCode()))) {
                throw unknown("creating the customer of account " + accountId, refused);
            }
            // The ledger takes any email text, Stripe does not. A customer without an email still pays its
            // invoices; one refused address must not hold up every later account's customer. (A refused
            // request stores nothing under its key, but the second request is another one: its own key.)
            log.warn("Stripe refused the email of account {} ({}); creating its customer without one", accountId,
                    refused.getCode());
            return createCustomerWithoutEmail(accountId, name);
        } catch (StripeException failure) {
            throw unknown("creating the customer of account " + accountId, failure);
        }
    }

    private String createCustomerWithoutEmail(String accountId, String name) {
        CustomerCreateParams.Builder params = CustomerCreateParams.builder().putMetadata(ACCOUNT_METADATA, accountId);
        if (name != null) {
            params.setName(name);
        }
        try {
            return stripe.v1().customers().create(params.build(),
                    key(IdempotencyKeys.customer(accountId) + ":no-email")).getId();
        } catch (StripeException failure) {
            throw unknown("creating the customer of account " + accountId + " without an email", failure);
        }
    }

    @Override
    public CollectionResult collect(InvoiceCollection collection, String customerId, int attempt) {
        String step = "finding";
        try {
            Invoice invoice = findInvoice(collection, customerId);
            if (invoice == null) {
                step = "creating the invoice";
                invoice = createInvoice(collection, customerId, attempt);
            }
            if ("draft".equals(invoice.getStatus())) {
                step = "adding items";
                addMissingItems(collection, customerId, invoice.getId(), attempt);
                step = "finalizing";
                invoice = stripe.v1().invoices().finalizeInvoice(invoice.getId(),
                        InvoiceFinalizeInvoiceParams.builder().setAutoAdvance(false).build(),
                        key(IdempotencyKeys.invoiceStep(collection.invoiceId(), "finalize", attempt)));
            }
            requireAmountDue(collection, invoice);
            if ("open".equals(invoice.getStatus())) {
                step = "paying";
                invoice = pay(collection, invoice, attempt);
            }
            if ("paid".equals(invoice.getStatus())) {
                return CollectionResult.paid(invoice.getId(), invoice.getAmountPaid(), invoice.getCurrency());
            }
            throw new StripeOutcomeUnknown("Stripe invoice " + invoice.getId() + " of " + collection.invoiceId()
                    + " is " + invoice.getStatus() + " after paying", null);
        } catch (DeclinedPayment declined) {
            return declined.result;
        } catch (StripeException failure) {
            throw unknown(step + " for invoice " + collection.invoiceId(), failure);
        }
    }

    @Override
    public List<String> paymentIntentsOf(String stripeInvoiceId) {
        try {
            Invoice invoice = stripe.v1().invoices().retrieve(stripeInvoiceId,
                    InvoiceRetrieveParams.builder().addExpand("payments").build(), RequestOptions.getDefault());
            List<String> intents = new ArrayList<>();
            if (invoice.getPayments() != null) {
                for (InvoicePayment payment : invoice.getPayments().getData()) {
                    if (payment.getPayment() != null && payment.getPayment().getPaymentIntent() != null) {
                        intents.add(payment.getPayment().getPaymentIntent());
                    }
                }
            }
            return intents;
        } catch (StripeException failure) {
            throw unknown("reading the payments of " + stripeInvoiceId, failure);
        }
    }

    @Override
    public List<StripeRefund> refundsOf(String chargeId) {
        try {
            RefundListParams params = RefundListParams.builder().setCharge(chargeId).setLimit(REFUND_LOOKUP_LIMIT).build();
            List<StripeRefund> refunds = new ArrayList<>();
            for (Refund refund : stripe.v1().refunds().list(params).getData()) {
                refunds.add(new StripeRefund(refund.getId(), refund.getAmount(), refund.getCurrency(), refund.getStatus()));
            }
            return refunds;
        } catch (StripeException failure) {
            throw unknown("reading the refunds of " + chargeId, failure);
        }
    }

    /** The invoice Tally created for this ledger invoice earlier, if any: Stripe, not memory, is the truth. */
    private Invoice findInvoice(InvoiceCollection collection, String customerId) throws StripeException {
        InvoiceListParams params = InvoiceListParams.builder().setCustomer(customerId).setLimit(INVOICE_LOOKUP_LIMIT)
                .build();
        for (Invoice invoice : stripe.v1().invoices().list(params).getData()) {
            if (invoice.getMetadata() != null
                    && collection.invoiceId().equals(invoice.getMetadata().get(INVOICE_METADATA))) {
                return invoice;
            }
        }
        return null;
    }

    private Invoice createInvoice(InvoiceCollection collection, String customerId, int attempt)
            throws StripeException {
        InvoiceCreateParams params = InvoiceCreateParams.builder()
                .setCustomer(customerId)
                .setCollectionMethod(InvoiceCreateParams.CollectionMethod.CHARGE_AUTOMATICALLY)
                // Tally decides when to finalize and pay; Stripe must not advance or gather stray items.
                .setAutoAdvance(false)
                .setPendingInvoiceItemsBehavior(InvoiceCreateParams.PendingInvoiceItemsBehavior.EXCLUDE)
                .setDescription("Invoice " + collection.number())
                .putMetadata(ACCOUNT_METADATA, collection.accountId())
                .putMetadata(INVOICE_METADATA, collection.invoiceId())
                .build();
        return stripe.v1().invoices().create(params,
                key(IdempotencyKeys.invoiceStep(collection.invoiceId(), "invoice", attempt)));
    }

    private void addMissingItems(InvoiceCollection collection, String customerId, String stripeInvoiceId,
                                 int attempt) throws StripeException {
        Set<String> present = new HashSet<>();
        InvoiceItemListParams list = InvoiceItemListParams.builder().setInvoice(stripeInvoiceId)
                .setLimit(ITEM_LOOKUP_LIMIT).build();
        for (InvoiceItem item : stripe.v1().invoiceItems().list(list).getData()) {
            if (item.getMetadata() != null && item.getMetadata().get(LINE_METADATA) != null) {
                present.add(item.getMetadata().get(LINE_METADATA));
            }
        }
        for (StripeItem item : collection.items()) {
            if (present.contains(item.lineKey())) {
                continue;
            }
            InvoiceItemCreateParams params = InvoiceItemCreateParams.builder()
                    .setCustomer(customerId)
                    .setInvoice(stripeInvoiceId)
                    .setAmount(item.amountMinorUnits())
                    .setCurrency(MinorUnits.stripeCurrency(collection.currency()))
                    .setDescription(item.description())
                    .putMetadata(INVOICE_METADATA, collection.invoiceId())
                    .putMetadata(LINE_METADATA, item.lineKey())
                    .build();
            stripe.v1().invoiceItems().create(params,
                    key(IdempotencyKeys.invoiceStep(collection.invoiceId(), "item-" + item.lineKey(), attempt)));
        }
    }

    /** Never pays an amount other than the ledger's: a mismatch stops the collection for a human to look at. */
    private static void requireAmountDue(InvoiceCollection collection, Invoice invoice) {
        if (invoice.getAmountDue() != null && !"paid".equals(invoice.getStatus())
                && invoice.getAmountDue() != collection.amountDueMinorUnits()) {
            throw new IllegalStateException("Stripe invoice " + invoice.getId() + " asks " + invoice.getAmountDue()
                    + " minor units, the ledger's " + collection.invoiceId() + " owes "
                    + collection.amountDueMinorUnits());
        }
    }

    private Invoice pay(InvoiceCollection collection, Invoice invoice, int attempt) throws StripeException {
        try {
            return stripe.v1().invoices().pay(invoice.getId(), InvoicePayParams.builder().build(),
                    key(IdempotencyKeys.invoiceStep(collection.invoiceId(), "pay", attempt)));
        } catch (CardException declined) {
            // Stripe counted the attempt on the invoice; the webhook names the failure by the same count.
            Invoice after = stripe.v1().invoices().retrieve(invoice.getId());
            long attempts = after.getAttemptCount() == null ? attempt : after.getAttemptCount();
            String reason = declined.getDeclineCode() != null ? declined.getDeclineCode() : declined.getCode();
            throw new DeclinedPayment(CollectionResult.declined(invoice.getId(),
                    StripePaymentIds.forFailedAttempt(invoice.getId(), attempts), reason));
        }
    }

    private static RequestOptions key(String idempotencyKey) {
        return RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
    }

    private static StripeOutcomeUnknown unknown(String what, StripeException failure) {
        log.warn("Stripe outcome unknown while {}: {} (status {}, request {})", what, failure.getClass().getSimpleName(),
                failure.getStatusCode(), failure.getRequestId());
        return new StripeOutcomeUnknown(what + ": " + failure.getMessage(), failure);
    }

    /** Carries a decline out of the payment step; a decline is an answer, not an error. */
    private static final class DeclinedPayment extends RuntimeException {
        private final transient CollectionResult result;

        DeclinedPayment(CollectionResult result) {
            super(null, null, false, false);
            this.result = result;
        }
    }
}
