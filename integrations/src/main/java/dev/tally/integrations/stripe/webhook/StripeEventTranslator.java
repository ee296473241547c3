package dev.tally.integrations.stripe.webhook;

import dev.tally.ledger.limits.TextRules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.integrations.stripe.MinorUnits;
import dev.tally.integrations.stripe.StripeApiGateway;
import dev.tally.integrations.stripe.StripeGateway;
import dev.tally.integrations.stripe.StripeOutcomeUnknown;
import dev.tally.integrations.stripe.StripePaymentIds;
import dev.tally.integrations.stripe.StripeRefund;
import dev.tally.integrations.stripe.webhook.StripePaymentLinks.PaymentLink;
import dev.tally.ledger.api.invoice.RecordInvoicePaymentFailure;
import dev.tally.ledger.api.money.Money;
import dev.tally.ledger.api.outcome.CommandOutcome;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.ledger.api.payment.RecordDispute;
import dev.tally.ledger.api.payment.RecordPayment;
import dev.tally.ledger.api.payment.RefundPayment;
import dev.tally.ledger.limits.TextRules;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Applies one verified Stripe event (its JSON) to the ledger through commands. Events of other
 * types, and objects Tally did not create (no {@code tally_account_id}), are ignored.
 */
public class StripeEventTranslator {

    public static final String PAYMENT_METHOD = "stripe";
    /** Rejections that mean a newer fact already stands (e.g. a failure reported after the payment). */
    static final Set<ErrorCode> SUPERSEDED = Set.of(ErrorCode.INVOICE_NOT_OPEN, ErrorCode.INVOICE_ALREADY_PAID);

    private final CommandGateway commands;
    private final StripePaymentLinks links;
    private final Optional<StripeGateway> stripe;

    /** {@code stripe} is asked which PaymentIntents paid an invoice when the event does not say; it may be absent. */
    public StripeEventTranslator(CommandGateway commands, StripePaymentLinks links, Optional<StripeGateway> stripe) {
        this.commands = commands;
        this.links = links;
        this.stripe = stripe;
    }

    public WebhookOutcome apply(JsonNode event) {
        JsonNode object = event.path("data").path("object");
        Optional<String> unstorable = firstUnstorableText(object, "data.object");
        if (unstorable.isPresent()) {
            // Stripe's events are read leniently (descriptions may hold carriage returns), but a NUL or an
            // unpaired surrogate in an id or metadata value would stop every projection that reads it.
            return WebhookOutcome.ignored("the event carries text PostgreSQL cannot store (NUL or an unpaired surrogate), at " + unstorable.get());
        }
        return switch (event.path("type").asText()) {
            case "invoice.paid" -> invoicePaid(object);
            case "payment_intent.succeeded" -> paymentIntentSucceeded(object);
            case "invoice.payment_failed" -> invoicePaymentFailed(object);
            case "charge.refunded" -> chargeRefunded(object);
            case "charge.dispute.created" -> disputeCreated(object);
            default -> WebhookOutcome.ignored("event type " + event.path("type").asText() + " is not used");
        };
    }

    private WebhookOutcome invoicePaid(JsonNode invoice) {
        String accountId = metadata(invoice, StripeApiGateway.ACCOUNT_METADATA);
        long amountPaid = invoice.path("amount_paid").asLong();
        if (accountId == null || amountPaid <= 0) {
            return WebhookOutcome.ignored("not a Tally invoice, or nothing paid through Stripe");
        }
        String invoiceId = invoice.path("id").asText();
        String paymentId = StripePaymentIds.forInvoice(invoiceId);
        Money amount = MinorUnits.toMoney(amountPaid, invoice.path("currency").asText());
        return recordPayment(new RecordPayment(accountId, paymentId, amount, PAYMENT_METHOD, invoiceId),
                () -> paymentIntentsOf(invoice));
    }

    /** Records the payment, then links the PaymentIntents behind it so that refunds and disputes find it. */
    private WebhookOutcome recordPayment(RecordPayment payment, Supplier<List<String>> paymentIntents) {
        WebhookOutcome recorded = outcome(payment);
        if (recorded.status() != WebhookOutcome.Status.APPLIED) {
            return recorded;
        }
        try {
            for (String intent : paymentIntents.get()) {
                links.remember(intent, new PaymentLink(payment.accountId(), payment.paymentId()));
            }
        } catch (StripeOutcomeUnknown unknown) {
            // The payment stands; only its link for later refunds is missing, so try the event again.
            return WebhookOutcome.pending("payment recorded; its PaymentIntents are not known yet");
        }
        return recorded;
    }

    private List<String> paymentIntentsOf(JsonNode invoice) {
        JsonNode payments = invoice.path("payments").path("data");
        if (payments.isArray()) {
            List<String> intents = new ArrayList<>();
            for (JsonNode payment : payments) {
                String intent = text(payment.path("payment").path("payment_intent"));
                if (intent != null) {
                    intents.add(intent);
                }
            }
            return intents;
        }
        return stripe.map(gateway -> gateway.paymentIntentsOf(invoice.path("id").asText())).orElse(List.of());
    }

    /** Only PaymentIntents Tally created itself carry the account; an invoice's own PaymentIntent never does. */
    private WebhookOutcome paymentIntentSucceeded(JsonNode intent) {
        String accountId = metadata(intent, StripeApiGateway.ACCOUNT_METADATA);
        long received = intent.path("amount_received").asLong();
        if (accountId == null || received <= 0) {
            return WebhookOutcome.ignored("not a Tally payment intent (an invoice's is recorded by invoice.paid)");
        }
        String intentId = intent.path("id").asText();
        return recordPayment(new RecordPayment(accountId, StripePaymentIds.forPaymentIntent(intentId),
                MinorUnits.toMoney(received, intent.path("currency").asText()), PAYMENT_METHOD, intentId),
                () -> List.of(intentId));
    }

    private WebhookOutcome invoicePaymentFailed(JsonNode invoice) {
        String accountId = metadata(invoice, StripeApiGateway.ACCOUNT_METADATA);
        String ledgerInvoiceId = metadata(invoice, StripeApiGateway.INVOICE_METADATA);
        if (accountId == null || ledgerInvoiceId == null) {
            return WebhookOutcome.ignored("not a Tally invoice");
        }
        String stripeInvoiceId = invoice.path("id").asText();
        long attempts = invoice.path("attempt_count").asLong();
        return outcome(new RecordInvoicePaymentFailure(accountId, ledgerInvoiceId,
                StripePaymentIds.forFailedAttempt(stripeInvoiceId, attempts),
                "Stripe could not collect the invoice (attempt " + attempts + ")", stripeInvoiceId));
    }

    private WebhookOutcome chargeRefunded(JsonNode charge) {
        String intent = text(charge.path("payment_intent"));
        if (intent == null) {
            return WebhookOutcome.ignored("a charge without a PaymentIntent is not Tally's");
        }
        Optional<PaymentLink> payment = links.paymentOf(intent);
        if (payment.isEmpty()) {
            return WebhookOutcome.pending("the payment of " + intent + " is not recorded yet");
        }
        List<StripeRefund> refunds;
        try {
            refunds = refundsOf(charge);
        } catch (StripeOutcomeUnknown unknown) {
            return WebhookOutcome.pending("the refunds of " + charge.path("id").asText() + " could not be read");
        }
        WebhookOutcome last = WebhookOutcome.ignored("no succeeded refund");
        for (StripeRefund refund : refunds) {
            if (!refund.succeeded()) {
                continue;
            }
            Money amount = MinorUnits.toMoney(refund.amountMinorUnits(), refund.currency());
            last = outcome(new RefundPayment(payment.get().accountId(), StripePaymentIds.forRefund(refund.refundId()),
                    payment.get().paymentId(), amount));
            if (last.status() == WebhookOutcome.Status.PENDING) {
                return last;
            }
        }
        return last;
    }

    /** The refunds the event lists, or (as current API versions send none) the ones Stripe lists for the charge. */
    private List<StripeRefund> refundsOf(JsonNode charge) {
        JsonNode listed = charge.path("refunds").path("data");
        if (listed.isArray() && !listed.isEmpty()) {
            List<StripeRefund> refunds = new ArrayList<>();
            for (JsonNode refund : listed) {
                refunds.add(new StripeRefund(refund.path("id").asText(), refund.path("amount").asLong(),
                        refund.path("currency").asText(charge.path("currency").asText()), refund.path("status").asText()));
            }
            return refunds;
        }
        return stripe.map(gateway -> gateway.refundsOf(charge.path("id").asText())).orElse(List.of());
    }

    private WebhookOutcome disputeCreated(JsonNode dispute) {
        String intent = text(dispute.path("payment_intent"));
        Optional<PaymentLink> payment = intent == null ? Optional.empty() : links.paymentOf(intent);
        if (payment.isEmpty()) {
            return WebhookOutcome.pending("the disputed payment " + intent + " is not recorded yet");
        }
        String disputeId = dispute.path("id").asText();
        return outcome(new RecordDispute(payment.get().accountId(), "stripe_" + disputeId, payment.get().paymentId(),
                MinorUnits.toMoney(dispute.path("amount").asLong(), dispute.path("currency").asText()),
                dispute.path("reason").asText(null), disputeId));
    }

    private WebhookOutcome outcome(Object command) {
        CommandOutcome outcome;
        try {
            outcome = commands.sendAndWait(command);
        } catch (AggregateNotFoundException unknownAccount) {
            return WebhookOutcome.ignored("no account " + unknownAccount.getAggregateIdentifier());
        }
        if (outcome == null || !outcome.isRejected()) {
            return WebhookOutcome.applied(command.getClass().getSimpleName() + " "
                    + (outcome == null ? "sent" : outcome.status().name().toLowerCase(java.util.Locale.ROOT)));
        }
        if (outcome.code() == ErrorCode.UNKNOWN_PAYMENT) {
            return WebhookOutcome.pending(outcome.detail());
        }
        String detail = outcome.code().code() + ": " + outcome.detail();
        return SUPERSEDED.contains(outcome.code()) ? WebhookOutcome.ignored("superseded by a newer fact, " + detail)
                : WebhookOutcome.ignored("refused, " + detail);
    }

    private static String metadata(JsonNode object, String key) {
        return text(object.path("metadata").path(key));
    }

    private static String text(JsonNode node) {
        return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }

    /** The path of the first string (value or member name) PostgreSQL could not store, if any. */
    static Optional<String> firstUnstorableText(JsonNode node, String path) {
        if (node.isTextual()) {
            return TextRules.isRepresentable(node.asText()) ? Optional.empty() : Optional.of(path);
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> members = node.fields(); members.hasNext(); ) {
                Map.Entry<String, JsonNode> member = members.next();
                if (!TextRules.isRepresentable(member.getKey())) {
                    return Optional.of(path + " (a member name)");
                }
                Optional<String> inside = firstUnstorableText(member.getValue(), path + "." + member.getKey());
                if (inside.isPresent()) {
                    return inside;
                }
            }
        }
        if (node.isArray()) {
            for (int index = 0; index < node.size(); index++) {
                Optional<String> inside = firstUnstorableText(node.get(index), path + "[" + index + "]");
                if (inside.isPresent()) {
                    return inside;
                }
            }
        }
        return Optional.empty();
    }
}
