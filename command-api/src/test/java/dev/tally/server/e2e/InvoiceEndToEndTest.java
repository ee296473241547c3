package dev.tally.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.ledger.api.invoice.MarkInvoiceOverdue;
import dev.tally.ledger.api.invoice.RecordInvoicePaymentFailure;
import dev.tally.ledger.api.outcome.CommandOutcome;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.ServerTest;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.beans.factory.annotation.Autowired;
import dev.tally.server.web.position.LedgerPositions;

// Goal: over HTTP, an ended period closes into exactly one invoice with exact figures, and
// payments, over-payments, refunds and voids move it through its states, each error answered
// with its code and nothing changed.
class InvoiceEndToEndTest extends ServerTest {

    private String accountId;
    /** The month before the one the test runs in, and that one: read from the server's stopped clock. */
    private Instant lastPeriod;
    private Instant thisPeriod;
    private YearMonth thisMonth;
    private String planId;

    @Autowired
    private CommandGateway commands;

    @Autowired
    private LedgerPositions positions;

    @BeforeEach
    void openAccountWithUsageLastPeriod() {
        // Stopped for the whole test: one started at 23:59:59 on a month's last day still finds that month's
        // period open and the one before it ended, as it did when it read them.
        thisMonth = YearMonth.from(clock().freeze().atOffset(ZoneOffset.UTC));
        thisPeriod = thisMonth.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        lastPeriod = thisMonth.minusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        accountId = openAccountWithUsageLastPeriod(null);
    }

    /** An account on payment terms of {@code paymentTermsDays} (null: unstated, the default) with usage last period. */
    private String openAccountWithUsageLastPeriod(Integer paymentTermsDays) {
        planId = Api.unique("plan");
        post("/v1/plans", """
                {"planId":"%s","currency":"USD","effectiveFrom":"2026-01-01T00:00:00Z","minimumCommitment":"20",
                 "prices":[{"meter":"gpu_seconds","model":"per_unit","unitPrice":"0.002"},
                           {"meter":"images","model":"graduated","tiers":[{"upTo":"100","unitPrice":"0.04"},{"upTo":null,"unitPrice":"0.02"}]}]}
                """.formatted(planId), 201);
        String accountId = Api.unique("acct");
        String terms = paymentTermsDays == null ? "" : ",\"paymentTermsDays\":" + paymentTermsDays;
        post("/v1/accounts", """
                {"accountId":"%s","name":"Invoice Co","currency":"USD","planId":"%s","billingStart":"%s"%s}
                """.formatted(accountId, planId, lastPeriod, terms), 201);
        Instant during = lastPeriod.plusSeconds(86_400 * 3);
        post("/v1/usage", """
                {"events":[{"idempotencyKey":"g1","accountId":"%1$s","meter":"gpu_seconds","quantity":"1234.5","timestamp":"%2$s"},
                           {"idempotencyKey":"i1","accountId":"%1$s","meter":"images","quantity":"150","timestamp":"%2$s"}]}
                """.formatted(accountId, during), 200);
        post("/v1/accounts/" + accountId + "/credits", """
                {"grantId":"promo","amount":"3","kind":"promotional","effectiveAt":"%s"}""".formatted(lastPeriod), 201);
        return accountId;
    }

    @Test
    void canCloseAnEndedPeriodOnceIntoAnInvoiceWithExactFigures() {
        Api.Response closed = close(lastPeriod);
        assertThat(closed.status()).as(closed.raw().body()).isEqualTo(201);
        JsonNode invoice = closed.body();
        assertThat(invoice.get("number").asText()).matches("TLY-\\d{4}-\\d{6}");
        assertThat(invoice.get("status").asText()).isEqualTo("issued");
        assertThat(invoice.get("periodStart").asText()).isEqualTo(lastPeriod.toString());
        assertThat(invoice.get("periodEnd").asText()).isEqualTo(thisPeriod.toString());
        // gpu 1234.5 × 0.002 = 2.469 → 2.47; images 100 × 0.04 + 50 × 0.02 = 5.00; minimum 20 → true-up 12.53.
        assertThat(amounts(invoice.get("lines"))).containsExactly("2.47", "5.00", "12.53");
        assertThat(invoice.get("lines").get(2).get("kind").asText()).isEqualTo("minimum");
        assertThat(invoice.get("lines").get(0).get("quantity").asText()).isEqualTo("1234.5");
        assertThat(invoice.get("subtotal").asText()).isEqualTo("20.00");
        // The promotional 3, granted after the usage but effective from the period's start, funds it at issue.
        assertThat(invoice.get("creditsApplied").asText()).isEqualTo("3.00");
        assertThat(invoice.get("total").asText()).isEqualTo("17.00");
        assertThat(invoice.get("amountDue").asText()).isEqualTo("17.00");
        // Unstated payment terms are 30 days; nothing is overdue before then.
        Instant issuedAt = Instant.parse(invoice.get("issuedAt").asText());
        assertThat(Instant.parse(invoice.get("dueAt").asText()))
                .isEqualTo(issuedAt.plus(java.time.Duration.ofDays(30)));
        assertThat(invoice.get("overdue").asBoolean()).isFalse();

        Api.Response again = close(lastPeriod);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("invoiceId").asText()).isEqualTo(invoice.get("invoiceId").asText());
        assertThat(again.body().get("number").asText()).isEqualTo(invoice.get("number").asText());

        JsonNode balance = api().get("/v1/accounts/" + accountId + "/balance?minPosition=" + again.position(),
                ADMIN_KEY).body();
        assertThat(balance.get("unbilled").asText()).isEqualTo("0.00");
        assertThat(balance.get("invoicedOutstanding").asText()).isEqualTo("17.00");
        assertThat(balance.get("amountDue").asText()).isEqualTo("17.00");

        Api.Response read = api().get("/v1/invoices/" + invoice.get("invoiceId").asText(), ADMIN_KEY);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body().get("lines")).hasSize(3);
        Api.Response listed = api().get("/v1/accounts/" + accountId + "/invoices?status=issued", ADMIN_KEY);
        assertThat(listed.body().get("items")).hasSize(1);
        assertThat(api().get("/v1/accounts/" + accountId + "/invoices?status=paid", ADMIN_KEY).body().get("items"))
                .isEmpty();
    }

    @Test
    void canSetLateUsageAgainstTheMinimumItsPeriodAlreadyBilled() {
        Instant twoPeriodsAgo = thisMonth.minusMonths(2).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        String minimumPlan = Api.unique("plan");
        post("/v1/plans", """
                {"planId":"%s","currency":"USD","effectiveFrom":"2026-01-01T00:00:00Z","minimumCommitment":"50",
                 "prices":[{"meter":"gpu_seconds","model":"per_unit","unitPrice":"0.01"}]}""".formatted(minimumPlan), 201);
        accountId = Api.unique("acct");
        post("/v1/accounts", """
                {"accountId":"%s","name":"Minimum Co","currency":"USD","planId":"%s","billingStart":"%s"}
                """.formatted(accountId, minimumPlan, twoPeriodsAgo), 201);
        assertThat(close(twoPeriodsAgo).body().get("total").asText()).isEqualTo("50.00");

        post("/v1/usage", """
                {"events":[{"idempotencyKey":"late","accountId":"%s","meter":"gpu_seconds","quantity":"3214","timestamp":"%s"}]}
                """.formatted(accountId, lastPeriod.minusSeconds(86_400)), 200);
        JsonNode invoice = close(lastPeriod).body();

        JsonNode lines = invoice.get("lines");
        assertThat(lines).extracting(line -> line.get("kind").asText())
                .containsExactly("late_usage", "minimum_credit", "minimum");
        assertThat(amounts(lines)).containsExactly("32.14", "-32.14", "50.00");
        java.time.LocalDate first = thisMonth.minusMonths(2).atDay(1);
        assertThat(lines.get(1).get("description").asText()).isEqualTo("covered by the minimum commitment of "
                + first + " to " + thisMonth.minusMonths(1).atDay(1).minusDays(1));
        assertThat(lines.get(1).get("period").asText()).isEqualTo(twoPeriodsAgo.toString());
        assertThat(invoice.get("total").asText()).isEqualTo("50.00");
    }

    @Test
    void cannotCloseAPeriodThatHasNotEndedOrDoesNotStartOnTheAnchor() {
        assertProblem(close(thisPeriod), 409, "period_not_ended");
        assertProblem(close(lastPeriod.plusSeconds(3600)), 422, "invalid_period_start");
        assertProblem(api().post("/v1/accounts/" + accountId + "/invoices", ADMIN_KEY, "{}"), 400, "missing_field");
        assertProblem(api().post("/v1/accounts/" + accountId + "/invoices", ADMIN_KEY, "{\"periodStart\":\"soon\"}"),
                422, "invalid_field");
        assertProblem(api().post("/v1/accounts/nobody/invoices", ADMIN_KEY,
                "{\"periodStart\":\"" + lastPeriod + "\"}"), 404, "unknown_account");
        assertThat(api().get("/v1/accounts/" + accountId + "/invoices", ADMIN_KEY).body().get("items")).isEmpty();
    }

    @Test
    void canPayOverPayAndRefundAnInvoice() {
        String invoiceId = close(lastPeriod).body().get("invoiceId").asText();
        Api.Response partly = post("/v1/accounts/" + accountId + "/payments",
                "{\"paymentId\":\"p1\",\"amount\":\"10\",\"method\":\"card\"}", 201);
        JsonNode partlyPaid = api().get("/v1/invoices/" + invoiceId + "?minPosition=" + partly.position(), ADMIN_KEY).body();
        assertThat(partlyPaid.get("amountPaid").asText()).isEqualTo("10.00");
        assertThat(partlyPaid.get("status").asText()).isEqualTo("issued");

        Api.Response overPaid = post("/v1/accounts/" + accountId + "/payments",
                "{\"paymentId\":\"p2\",\"amount\":\"12\",\"method\":\"wire\"}", 201);
        JsonNode paid = api().get("/v1/invoices/" + invoiceId + "?minPosition=" + overPaid.position(), ADMIN_KEY).body();
        assertThat(paid.get("status").asText()).isEqualTo("paid");
        assertThat(paid.get("amountDue").asText()).isEqualTo("0.00");
        JsonNode balance = api().get("/v1/accounts/" + accountId + "/balance?minPosition=" + overPaid.position(),
                ADMIN_KEY).body();
        assertThat(balance.get("unappliedCash").asText()).isEqualTo("5.00");
        assertThat(balance.get("amountDue").asText()).isEqualTo("-5.00");

        assertProblem(api().post("/v1/invoices/" + invoiceId + "/void", ADMIN_KEY, "{}"), 409, "invoice_already_paid");

        // 5 of p2's 12 were never applied; refunding 9 takes those 5 and reopens the invoice for 4.
        Api.Response refunded = post("/v1/accounts/" + accountId + "/refunds",
                "{\"refundId\":\"r1\",\"paymentId\":\"p2\",\"amount\":\"9\"}", 201);
        JsonNode reopened = api().get("/v1/invoices/" + invoiceId + "?minPosition=" + refunded.position(), ADMIN_KEY).body();
        assertThat(reopened.get("status").asText()).isEqualTo("issued");
        assertThat(reopened.get("amountDue").asText()).isEqualTo("4.00");
        assertProblem(api().post("/v1/accounts/" + accountId + "/refunds", ADMIN_KEY,
                "{\"refundId\":\"r2\",\"paymentId\":\"p2\",\"amount\":\"3.01\"}"), 422, "refund_exceeds_payment");
    }

    @Test
    void canVoidAnUnpaidInvoiceWithItsErrorCases() {
        String invoiceId = close(lastPeriod).body().get("invoiceId").asText();
        assertProblem(api().post("/v1/invoices/inv_unknown/void", ADMIN_KEY, "{}"), 404, "unknown_invoice");
        String auditor = api().post("/v1/api-keys", ADMIN_KEY, "{\"name\":\"a\",\"role\":\"auditor\"}")
                .body().get("key").asText();
        assertProblem(api().post("/v1/invoices/" + invoiceId + "/void", auditor, "{}"), 403, "forbidden");

        Api.Response voided = post("/v1/invoices/" + invoiceId + "/void",
                "{\"restoreCredits\":true,\"reason\":\"billing dispute\"}", 200);
        assertThat(voided.body().get("status").asText()).isEqualTo("void");
        assertThat(voided.body().get("voidReason").asText()).isEqualTo("billing dispute");
        JsonNode balance = api().get("/v1/accounts/" + accountId + "/balance?minPosition=" + voided.position(),
                ADMIN_KEY).body();
        assertThat(balance.get("invoicedOutstanding").asText()).isEqualTo("0.00");
        assertThat(balance.get("creditBalance").asText()).isEqualTo("3.00");

        Api.Response again = post("/v1/invoices/" + invoiceId + "/void", "{}", 200);
        assertThat(again.body().get("status").asText()).isEqualTo("void");
        assertThat(api().get("/v1/accounts/" + accountId + "/invoices?status=void", ADMIN_KEY).body().get("items"))
                .hasSize(1);
    }

    @Test
    void canPageThroughAnAccountsInvoicesAndKeepClientsToTheirOwn() {
        String first = close(lastPeriod).body().get("invoiceId").asText();
        Api.Response page = api().get("/v1/accounts/" + accountId + "/invoices?limit=1", ADMIN_KEY);
        assertThat(page.body().get("items").get(0).get("invoiceId").asText()).isEqualTo(first);
        assertThat(page.body().get("nextCursor").isNull()).isTrue();
        assertProblem(api().get("/v1/accounts/" + accountId + "/invoices?status=open", ADMIN_KEY), 422, "invalid_field");
        assertProblem(api().get("/v1/accounts/" + accountId + "/invoices?limit=0", ADMIN_KEY), 422, "invalid_field");

        String stranger = api().post("/v1/api-keys", ADMIN_KEY,
                "{\"name\":\"c\",\"role\":\"client\",\"accountIds\":[\"someone-else\"]}").body().get("key").asText();
        assertProblem(api().get("/v1/invoices/" + first, stranger), 403, "forbidden");
        assertProblem(api().get("/v1/accounts/" + accountId + "/invoices", stranger), 403, "forbidden");
        String own = api().post("/v1/api-keys", ADMIN_KEY,
                "{\"name\":\"c\",\"role\":\"client\",\"accountIds\":[\"" + accountId + "\"]}").body().get("key").asText();
        assertThat(api().get("/v1/invoices/" + first, own).status()).isEqualTo(200);
        assertProblem(api().post("/v1/accounts/" + accountId + "/invoices", own,
                "{\"periodStart\":\"" + lastPeriod + "\"}"), 403, "forbidden");
    }

    @Test
    void canDownloadTheInvoiceAsAPdfDocument() {
        String invoiceId = close(lastPeriod).body().get("invoiceId").asText();
        String number = api().get("/v1/invoices/" + invoiceId, ADMIN_KEY).body().get("number").asText();
        java.net.http.HttpResponse<byte[]> document = api().download("/v1/invoices/" + invoiceId + ".pdf", ADMIN_KEY);
        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(document.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/pdf"));
        try (var pdf = org.apache.pdfbox.Loader.loadPDF(document.body())) {
            String text = new org.apache.pdfbox.text.PDFTextStripper().getText(pdf);
            assertThat(text).contains(number, "Invoice Co", "gpu_seconds usage", "USD 17.00");
            // Prices as the plan states them: 0.002 a GPU second (not 2.47 / 1,234.5), tiers for images.
            assertThat(text).contains("gpu_seconds usage 1,234.5 USD 0.002 USD 2.47", "images usage 150 tiered USD 5.00",
                    "up to 100: USD 0.04 each", "over 100: USD 0.02 each").doesNotContain("0.002001");
        } catch (java.io.IOException unreadable) {
            throw new AssertionError("the invoice PDF cannot be read", unreadable);
        }
        assertProblem(api().get("/v1/invoices/inv_unknown.pdf", ADMIN_KEY), 404, "unknown_invoice");
        String stranger = api().post("/v1/api-keys", ADMIN_KEY,
                "{\"name\":\"c\",\"role\":\"client\",\"accountIds\":[\"someone-else\"]}").body().get("key").asText();
        assertProblem(api().get("/v1/invoices/" + invoiceId + ".pdf", stranger), 403, "forbidden");
    }

    @Test
    void canShowAnUnpaidInvoiceOverduePastItsDueDateWithoutStripeAndNoLongerOncePaid() {
        accountId = openAccountWithUsageLastPeriod(0);
        assertThat(api().get("/v1/accounts/" + accountId, ADMIN_KEY).body().get("paymentTermsDays").asInt()).isZero();
        JsonNode issued = close(lastPeriod).body();
        String invoiceId = issued.get("invoiceId").asText();
        assertThat(issued.get("dueAt").asText()).isEqualTo(issued.get("issuedAt").asText());

        JsonNode read = api().get("/v1/invoices/" + invoiceId, ADMIN_KEY).body();
        assertThat(read.get("overdue").asBoolean()).as("due at issue, unpaid since").isTrue();
        assertThat(read.get("overdueSince").isNull()).as("no collection recorded it").isTrue();
        assertThat(api().get("/v1/accounts/" + accountId + "/invoices", ADMIN_KEY).body().get("items").get(0)
                .get("overdue").asBoolean()).isTrue();

        Api.Response paid = post("/v1/accounts/" + accountId + "/payments",
                "{\"paymentId\":\"p1\",\"amount\":\"17\",\"method\":\"wire\"}", 201);
        JsonNode settled = api().get("/v1/invoices/" + invoiceId + "?minPosition=" + paid.position(), ADMIN_KEY).body();
        assertThat(settled.get("status").asText()).isEqualTo("paid");
        assertThat(settled.get("overdue").asBoolean()).isFalse();
    }

    @Test
    void cannotOpenAnAccountOnPaymentTermsOutsideZeroToThreeHundredSixtyFiveDays() {
        for (String days : new String[] {"-1", "366"}) {
            assertProblem(api().post("/v1/accounts", ADMIN_KEY, """
                    {"accountId":"%s","name":"Terms Co","currency":"USD","planId":"%s","paymentTermsDays":%s}
                    """.formatted(Api.unique("terms"), planId, days)), 422, "invalid_payment_terms");
        }
    }

    @Test
    void canShowFailedCollectionsAndAnOverdueDateOnTheInvoice() {
        accountId = openAccountWithUsageLastPeriod(0);
        String invoiceId = close(lastPeriod).body().get("invoiceId").asText();

        assertThat(commands.<CommandOutcome>sendAndWait(new RecordInvoicePaymentFailure(accountId, invoiceId, "evt_1",
                "card_declined", "in_1")).status()).isEqualTo(CommandOutcome.Status.ACCEPTED);
        assertThat(commands.<CommandOutcome>sendAndWait(new RecordInvoicePaymentFailure(accountId, invoiceId, "evt_1",
                "card_declined", "in_1")).status()).isEqualTo(CommandOutcome.Status.DUPLICATE);
        assertThat(commands.<CommandOutcome>sendAndWait(new MarkInvoiceOverdue(accountId, invoiceId))
                .status()).isEqualTo(CommandOutcome.Status.ACCEPTED);

        long position = positions.latestPositionOf(java.util.List.of(accountId));
        JsonNode invoice = api().get("/v1/invoices/" + invoiceId + "?minPosition=" + position, ADMIN_KEY).body();
        assertThat(invoice.get("status").asText()).isEqualTo("issued");
        assertThat(invoice.get("paymentFailures").asInt()).isEqualTo(1);
        assertThat(invoice.get("lastPaymentFailure").asText()).isEqualTo("card_declined");
        assertThat(invoice.get("overdueSince").asText()).isEqualTo(invoice.get("dueAt").asText());
    }

    private Api.Response close(Instant periodStart) {
        return api().post("/v1/accounts/" + accountId + "/invoices", ADMIN_KEY,
                "{\"periodStart\":\"" + periodStart + "\"}");
    }

    private Api.Response post(String path, String json, int expectedStatus) {
        Api.Response response = api().post(path, ADMIN_KEY, json);
        assertThat(response.status()).as(path + " " + response.raw().body()).isEqualTo(expectedStatus);
        return response;
    }

    private static void assertProblem(Api.Response response, int status, String code) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(status);
        assertThat(response.code()).isEqualTo(code);
    }

    private static java.util.List<String> amounts(JsonNode lines) {
        java.util.List<String> amounts = new java.util.ArrayList<>();
        lines.forEach(line -> amounts.add(line.get("amount").asText()));
        return amounts;
    }
}
