package dev.tally.server.web.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tally.client.ApiClient;
import dev.tally.client.ApiException;
import dev.tally.client.ApiResponse;
import dev.tally.client.api.AccountsApi;
import dev.tally.client.api.ApiKeysApi;
import dev.tally.client.api.BalanceApi;
import dev.tally.client.api.CreditsApi;
import dev.tally.client.api.InvoicesApi;
import dev.tally.client.api.PlansApi;
import dev.tally.client.api.UsageApi;
import dev.tally.client.model.Account;
import dev.tally.client.model.Balance;
import dev.tally.client.model.CloseBillingPeriodRequest;
import dev.tally.client.model.CommandAnswer;
import dev.tally.client.model.GrantCreditRequest;
import dev.tally.client.model.Invoice;
import dev.tally.client.model.OpenAccountRequest;
import dev.tally.client.model.PageInvoice;
import dev.tally.client.model.PlanVersion;
import dev.tally.client.model.Price;
import dev.tally.client.model.Problem;
import dev.tally.client.model.PublishPlanRequest;
import dev.tally.client.model.UsageBatch;
import dev.tally.client.model.UsageBatchResult;
import dev.tally.client.model.UsageEvent;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.ServerTest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

// Goal: a client generated from the committed OpenAPI document (openapi/tally-api.json) calls the running server
// for each kind of endpoint (write a plan, an account, usage and credit; read a balance and invoices) and reads an
// error answer as a problem with its code.
class GeneratedClientEndToEndTest extends ServerTest {

    private static final LocalDate THIS_MONTH = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
    private static final Instant LAST_PERIOD = THIS_MONTH.minusMonths(1).atStartOfDay().toInstant(ZoneOffset.UTC);

    @Test
    void theGeneratedClientWritesAndReadsTheLedger() throws ApiException {
        ApiClient client = client(ADMIN_KEY);
        String planId = Api.unique("client-plan");
        String accountId = Api.unique("client-acct");

        PlanVersion plan = new PlansApi(client).publishPlan(new PublishPlanRequest().planId(planId).currency("USD")
                .effectiveFrom("2026-01-01T00:00:00Z")
                .prices(List.of(new Price().meter("gpu_seconds").model("per_unit").unitPrice("0.002"))), null);
        assertThat(plan.getVersion()).isEqualTo(1);
        assertThat(plan.getPrices()).extracting(Price::getUnitPrice).containsExactly("0.002");

        Account account = new AccountsApi(client).openAccount(new OpenAccountRequest().accountId(accountId)
                .name("Generated Co").currency("USD").planId(planId).billingStart(LAST_PERIOD.toString()), null);
        assertThat(account.getAccountId()).isEqualTo(accountId);
        assertThat(account.getBillingStart()).isNotNull();

        CommandAnswer grant = new CreditsApi(client).grantCredit(accountId, new GrantCreditRequest().grantId("welcome")
                .amount("10").kind("promotional").effectiveAt(LAST_PERIOD.toString()), null);
        assertThat(grant.getStatus()).isEqualTo("accepted");

        Instant during = LAST_PERIOD.plusSeconds(3 * 86_400);
        ApiResponse<UsageBatchResult> usage = new UsageApi(client).recordUsageWithHttpInfo(new UsageBatch().events(List.of(
                new UsageEvent().idempotencyKey("gen-1").accountId(accountId).meter("gpu_seconds").quantity("1500")
                        .timestamp(during.toString()))), Api.unique("idem"));
        assertThat(usage.getStatusCode()).isEqualTo(200);
        assertThat(usage.getData().getResults()).singleElement()
                .satisfies(result -> assertThat(result.getStatus()).isEqualTo("accepted"));

        Balance balance = new BalanceApi(client).getBalance(accountId, ledgerPosition(usage), null);
        // 1500 × 0.002 = 3.00 of usage, drawn from the 10.00 grant.
        assertThat(balance.getCurrency()).isEqualTo("USD");
        assertThat(balance.getCreditBalance()).isEqualTo("7.00");
        assertThat(balance.getUnbilled()).isEqualTo("0.00");

        InvoicesApi invoices = new InvoicesApi(client);
        ApiResponse<Invoice> closed = invoices.closeBillingPeriodWithHttpInfo(accountId,
                new CloseBillingPeriodRequest().periodStart(LAST_PERIOD.toString()), null);
        assertThat(closed.getStatusCode()).isEqualTo(201);
        // The grant covered the period's usage: nothing is left to pay.
        assertThat(closed.getData().getTotal()).isEqualTo("0.00");
        assertThat(closed.getData().getStatus()).isEqualTo("paid");
        PageInvoice listed = invoices.listInvoices(accountId, null, null, null, ledgerPosition(closed));
        assertThat(listed.getItems()).extracting(Invoice::getInvoiceId).containsExactly(closed.getData().getInvoiceId());
        assertThat(listed.getNextCursor()).isNull();
    }

    @Test
    void anErrorAnswerIsReadAsAProblemWithItsCode() throws Exception {
        ApiClient client = client(ADMIN_KEY);

        ApiException unknown = catchThrowableOfType(ApiException.class,
                () -> new BalanceApi(client).getBalance("no-such-account", null, null));
        assertThat(unknown.getCode()).isEqualTo(404);
        assertThat(unknown.getResponseHeaders().firstValue("Content-Type").orElse(""))
                .startsWith("application/problem+json");
        Problem problem = client.getObjectMapper().readValue(unknown.getResponseBody(), Problem.class);
        assertThat(problem.getCode()).isEqualTo("unknown_account");
        assertThat(problem.getStatus()).isEqualTo(404);
        assertThat(problem.getType()).hasToString("https://tally.dev/problems/unknown_account");
        assertThat(problem.getDetail()).contains("no-such-account");

        ApiException unauthorized = catchThrowableOfType(ApiException.class,
                () -> new ApiKeysApi(client("tly_not-a-key")).getMe());
        assertThat(unauthorized.getCode()).isEqualTo(401);
        Problem refused = client.getObjectMapper().readValue(unauthorized.getResponseBody(), Problem.class);
        assertThat(refused.getCode()).isEqualTo("unauthorized");
    }

    private static long ledgerPosition(ApiResponse<?> response) {
        return response.getHeaders().entrySet().stream()
                .filter(header -> header.getKey().equalsIgnoreCase("Ledger-Position"))
                .map(header -> Long.parseLong(header.getValue().get(0))).findFirst().orElseThrow();
    }

    /** The generated client against this test's server, sending {@code key} as the bearer key. */
    private ApiClient client(String key) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(api().baseUrl());
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + key));
        return client;
    }
}
