package dev.tally.server.integration.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.integrations.stripe.StripeConnection;
import dev.tally.integrations.stripe.fake.Fault;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

// Goal: an issued invoice is collected through Stripe exactly once, through server errors, timeouts after
// Stripe charged and dropped connections, and a declined card is recorded as a failure; each step states the
// events the ledger must then hold.
class StripeCollectionEndToEndTest extends StripeServerTest {

    @Autowired
    private MeterRegistry meters;

    @AfterEach
    void everyRequestWasInTheSpecAndEveryFaultStruck() {
        STRIPE.declinePayments(false);
        List<String> neverMet = STRIPE.pendingFaults();
        STRIPE.clearFaults();
        assertThat(neverMet).as("faults queued but never met by a request").isEmpty();
        assertThat(STRIPE.specViolations()).isEmpty();
    }

    private String linkedAccount() {
        return linkedAccount(30);
    }

    private String linkedAccount(int paymentTermsDays) {
        String accountId = openAccountWithUsageLastPeriod(paymentTermsDays);
        eventually("the account's Stripe customer is linked", () -> countOf(accountId, "ExternalCustomerLinked") == 1);
        assertThat(STRIPE.customerOfAccount(accountId)).isPresent();
        return accountId;
    }

    private JsonNode stripeInvoiceOf(String invoiceId) {
        List<JsonNode> invoices = STRIPE.invoicesOfLedgerInvoice(invoiceId);
        assertThat(invoices).as("Stripe invoices for " + invoiceId).hasSize(1);
        return invoices.get(0);
    }

    private void assertPaidOnce(String accountId, String invoiceId) {
        eventually("the invoice is paid", () -> "paid".equals(invoice(invoiceId).get("status").asText()),
                () -> "events " + eventTypes(accountId) + ", Stripe invoices " + STRIPE.invoicesOfLedgerInvoice(invoiceId)
                        + ", invoice " + invoice(invoiceId));
        JsonNode paid = invoice(invoiceId);
        assertThat(paid.get("amountPaid").asText()).isEqualTo("17.00");
        JsonNode stripeInvoice = stripeInvoiceOf(invoiceId);
        assertThat(stripeInvoice.path("status").asText()).isEqualTo("paid");
        assertThat(stripeInvoice.path("total").asLong()).as("Stripe's total is the ledger's").isEqualTo(1700);
        assertThat(stripeInvoice.path("metadata").path("tally_invoice_id").asText()).isEqualTo(invoiceId);
        assertThat(countOf(accountId, "PaymentRecorded")).isEqualTo(1);
    }

    @Test
    void canCollectAnIssuedInvoiceAndRecordItsPaymentOnceWhateverTheWebhookSays() {
        String accountId = linkedAccount();
        int chargesBefore = STRIPE.successfulCharges();

        String invoiceId = closeLastPeriod(accountId);

        assertPaidOnce(accountId, invoiceId);
        assertThat(STRIPE.successfulCharges() - chargesBefore).isEqualTo(1);
        String stripeInvoiceId = stripeInvoiceOf(invoiceId).path("id").asText();
        ObjectNode paidEvent = STRIPE.events("invoice.paid").stream()
                .filter(e -> stripeInvoiceId.equals(e.path("data").path("object").path("id").asText()))
                .findFirst().orElseThrow();
        HttpResponse<String> delivered = deliver(paidEvent);
        assertThat(delivered.statusCode()).as(delivered.body()).isEqualTo(200);
        HttpResponse<String> again = deliver(paidEvent);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(countOf(accountId, "PaymentRecorded")).as("the saga and both deliveries name one payment").isEqualTo(1);
        assertThat(invoice(invoiceId).get("amountPaid").asText()).isEqualTo("17.00");

        // A refund names only the charge's PaymentIntent; invoice.paid linked it to the ledger's payment.
        ObjectNode refund = STRIPE.refund(STRIPE.paymentIntentOf(stripeInvoiceId), 700, "usd");
        assertThat(deliver(refund).body()).contains("applied");
        assertThat(countOf(accountId, "PaymentRefunded")).isEqualTo(1);
        eventually("the refund reopens the invoice", () -> "issued".equals(invoice(invoiceId).get("status").asText()));
        assertThat(invoice(invoiceId).get("amountDue").asText()).isEqualTo("7.00");
    }

    @Test
    void canMarkAnInvoiceThatStaysUnpaidOverdueAtItsDueDate() {
        // Terms of 0 days: the invoice falls due at issue, so the saga's due deadline fires within the test.
        String accountId = linkedAccount(0);
        STRIPE.declinePayments(true);

        String invoiceId = closeLastPeriod(accountId);

        eventually("the failure is recorded", () -> countOf(accountId, "InvoicePaymentFailed") == 1);
        eventually("the ledger's due date passes", () -> countOf(accountId, "InvoiceOverdue") == 1);
        eventually("the invoice shows it", () -> !invoice(invoiceId).get("overdueSince").isNull());
        JsonNode overdue = invoice(invoiceId);
        assertThat(overdue.get("status").asText()).isEqualTo("issued");
        assertThat(overdue.get("overdueSince").asText()).isEqualTo(overdue.get("dueAt").asText())
                .isEqualTo(overdue.get("issuedAt").asText());
        assertThat(overdue.get("overdue").asBoolean()).isTrue();
    }

    @Test
    void canCollectOnceWhenStripeAnswersServerErrors() {
        String accountId = linkedAccount();
        int chargesBefore = STRIPE.successfulCharges();
        STRIPE.failNext("POST", "/pay", Fault.SERVER_ERROR);
        STRIPE.failNext("POST", "/finalize", Fault.SERVER_ERROR);

        String invoiceId = closeLastPeriod(accountId);

        assertPaidOnce(accountId, invoiceId);
        assertThat(STRIPE.successfulCharges() - chargesBefore).isEqualTo(1);
    }

    @Test
    void canCollectOnceWhenTheAnswerTimedOutAfterStripeCharged() {
        String accountId = linkedAccount();
        int chargesBefore = STRIPE.successfulCharges();
        // As many lost answers as the SDK sends (its first try and its retries), so the saga itself must ask
        // Stripe again; Stripe charged on the first, so the saga finds the invoice paid and pays nothing more.
        for (int i = 0; i <= StripeConnection.MAX_NETWORK_RETRIES; i++) {
            STRIPE.failNext("POST", "/pay", Fault.TIMEOUT_AFTER_WORK);
        }
        double unknownBefore = unknownOutcomes();

        String invoiceId = closeLastPeriod(accountId);

        assertPaidOnce(accountId, invoiceId);
        assertThat(STRIPE.successfulCharges() - chargesBefore).as("exactly one charge").isEqualTo(1);
        String pay = "POST /v1/invoices/" + stripeInvoiceOf(invoiceId).path("id").asText() + "/pay";
        assertThat(STRIPE.requests().stream().filter(pay::equals).count()).as("the SDK's sends, every one lost")
                .isEqualTo(StripeConnection.MAX_NETWORK_RETRIES + 1);
        assertThat(unknownOutcomes() - unknownBefore).as("the saga's retry, counted").isGreaterThanOrEqualTo(1);
    }

    private double unknownOutcomes() {
        return meters.get("tally.stripe.unknown.outcomes").counter().count();
    }

    @Test
    void canCollectOnceThroughDroppedConnections() {
        String accountId = linkedAccount();
        int chargesBefore = STRIPE.successfulCharges();
        for (int i = 0; i < 4; i++) {
            STRIPE.failNext("POST", "/v1/invoiceitems", Fault.CONNECTION_RESET);
        }
        double unknownBefore = unknownOutcomes();

        String invoiceId = closeLastPeriod(accountId);

        assertPaidOnce(accountId, invoiceId);
        assertThat(STRIPE.successfulCharges() - chargesBefore).isEqualTo(1);
        assertThat(unknownOutcomes() - unknownBefore).as("the saga's retry, counted").isGreaterThanOrEqualTo(1);
        assertThat(stripeInvoiceOf(invoiceId).path("lines").path("data")).as("3 lines and the credits").hasSize(3);
    }

    @Test
    void canRecordADeclinedCardThenAPaymentMadeLaterAndIgnoreALateFailure() {
        String accountId = linkedAccount();
        STRIPE.declinePayments(true);

        String invoiceId = closeLastPeriod(accountId);

        eventually("the failure is recorded", () -> countOf(accountId, "InvoicePaymentFailed") == 1);
        assertThat(invoice(invoiceId).get("status").asText()).isEqualTo("issued");
        String stripeInvoiceId = stripeInvoiceOf(invoiceId).path("id").asText();
        ObjectNode failed = STRIPE.events("invoice.payment_failed").stream()
                .filter(e -> stripeInvoiceId.equals(e.path("data").path("object").path("id").asText()))
                .findFirst().orElseThrow();
        assertThat(deliver(failed).statusCode()).isEqualTo(200);
        assertThat(countOf(accountId, "InvoicePaymentFailed")).as("the webhook names the same failure").isEqualTo(1);

        ObjectNode paid = STRIPE.payOutOfBand(stripeInvoiceId);
        HttpResponse<String> delivered = deliver(paid);

        assertThat(delivered.body()).contains("applied");
        eventually("the webhook's payment settles the invoice", () -> "paid".equals(invoice(invoiceId).get("status").asText()));
        ObjectNode lateFailure = failed.deepCopy();
        lateFailure.put("id", "evt_late_" + stripeInvoiceId);
        ((ObjectNode) lateFailure.path("data").path("object")).put("attempt_count", 5);
        HttpResponse<String> late = deliver(lateFailure);
        assertThat(late.statusCode()).isEqualTo(200);
        assertThat(late.body()).contains("ignored");
        assertThat(countOf(accountId, "InvoicePaymentFailed")).as("a failure after the payment changes nothing")
                .isEqualTo(1);
        assertThat(countOf(accountId, "PaymentRecorded")).isEqualTo(1);
    }
}
