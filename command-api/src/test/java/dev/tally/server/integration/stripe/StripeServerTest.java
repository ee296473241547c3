package dev.tally.server.integration.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.integrations.stripe.fake.FakeStripe;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.Eventually;
import dev.tally.server.testing.ServerTest;
import dev.tally.integrations.stripe.InvoiceCollectionSaga;
import dev.tally.integrations.stripe.StripeCustomerSync;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server whose Stripe is the fake, with short timeouts and retry delays so that faults resolve
 * within a test. Its context is closed after each test class: a Stripe sync left running would
 * collect the invoices of the other end-to-end tests, which share the database.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@Import(StripeServerTest.ForgetStripeTokens.class)
public abstract class StripeServerTest extends ServerTest {

    /**
     * Removes the Stripe processors' tokens once the context has stopped its processors, so that the
     * servers of later tests find the processors they run, and no others, in the shared database.
     */
    @TestConfiguration(proxyBeanMethods = false)
    static class ForgetStripeTokens implements DisposableBean {

        private final JdbcTemplate jdbc;

        ForgetStripeTokens(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Override
        public void destroy() {
            jdbc.update("DELETE FROM axon.token_entry WHERE processorName IN (?, ?)", StripeCustomerSync.PROCESSING_GROUP,
                    InvoiceCollectionSaga.PROCESSING_GROUP);
        }
    }

    public static final String WEBHOOK_SECRET = "whsec_tally_test_secret";
    public static final String ORB_SECRET = "orb_tally_test_secret";
    protected static final FakeStripe STRIPE = FakeStripe.start();

    /**
     * The month before the one the test starts in, read per test from the server's clock. The clock keeps
     * running (payment terms and retries are real deadlines), which these tests can afford: they only close
     * that period, and a period that has ended stays ended when the month turns during the test.
     */
    protected Instant lastPeriod;

    @BeforeEach
    void readLastPeriodFromTheServersClock() {
        lastPeriod = YearMonth.from(clock().instant().atOffset(ZoneOffset.UTC)).minusMonths(1).atDay(1)
                .atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    @DynamicPropertySource
    static void stripe(DynamicPropertyRegistry registry) {
        registry.add("tally.stripe.api-key", () -> FakeStripe.API_KEY);
        registry.add("tally.stripe.base-url", STRIPE::baseUrl);
        registry.add("tally.stripe.webhook-secret", () -> WEBHOOK_SECRET);
        registry.add("tally.stripe.retry-delay", () -> "PT0.5S");
        registry.add("tally.stripe.read-timeout", () -> "PT1S");
        registry.add("tally.stripe.scheduler-polling-interval", () -> "PT0.2S");
        registry.add("tally.webhooks.orb-secret", () -> ORB_SECRET);
        registry.add("tally.webhooks.retry-interval", () -> "PT2S");
    }

    /** Opens an account with usage in the last period (17.00 owed after 3.00 of credits once closed). */
    protected String openAccountWithUsageLastPeriod() {
        return openAccountWithUsageLastPeriod(30);
    }

    /** {@link #openAccountWithUsageLastPeriod()} on payment terms of {@code paymentTermsDays} (0: due at issue). */
    protected String openAccountWithUsageLastPeriod(int paymentTermsDays) {
        String planId = Api.unique("plan");
        post("/v1/plans", """
                {"planId":"%s","currency":"USD","effectiveFrom":"2026-01-01T00:00:00Z","minimumCommitment":"20",
                 "prices":[{"meter":"gpu_seconds","model":"per_unit","unitPrice":"0.002"}]}
                """.formatted(planId), 201);
        String accountId = Api.unique("stripe");
        post("/v1/accounts", """
                {"accountId":"%s","name":"Stripe Co","currency":"USD","planId":"%s","billingStart":"%s","email":"ap@stripe.test",
                 "paymentTermsDays":%d}
                """.formatted(accountId, planId, lastPeriod, paymentTermsDays), 201);
        post("/v1/usage", """
                {"events":[{"idempotencyKey":"g1","accountId":"%s","meter":"gpu_seconds","quantity":"1234.5","timestamp":"%s"}]}
                """.formatted(accountId, lastPeriod.plusSeconds(86_400 * 3)), 200);
        post("/v1/accounts/" + accountId + "/credits", """
                {"grantId":"promo","amount":"3","kind":"promotional","effectiveAt":"%s"}""".formatted(lastPeriod), 201);
        return accountId;
    }

    /** Closes the last period; the invoice owes 17.00. Returns its id. */
    protected String closeLastPeriod(String accountId) {
        Api.Response closed = post("/v1/accounts/" + accountId + "/invoices",
                "{\"periodStart\":\"" + lastPeriod + "\"}", 201);
        assertThat(closed.body().get("total").asText()).isEqualTo("17.00");
        return closed.body().get("invoiceId").asText();
    }

    protected Api.Response post(String path, String body, int expectedStatus) {
        Api.Response response = api().post(path, ADMIN_KEY, body);
        assertThat(response.status()).as(response.raw().body()).isEqualTo(expectedStatus);
        return response;
    }

    protected JsonNode invoice(String invoiceId) {
        return api().get("/v1/invoices/" + invoiceId, ADMIN_KEY).body();
    }

    /** The types of the account's events, oldest first (from the audit trail). */
    protected List<String> eventTypes(String accountId) {
        JsonNode items = api().get("/v1/accounts/" + accountId + "/audit?limit=1000", ADMIN_KEY).body().get("items");
        List<String> types = new ArrayList<>();
        items.forEach(item -> types.add(item.get("type").asText()));
        return types;
    }

    protected long countOf(String accountId, String eventType) {
        return eventTypes(accountId).stream().filter(eventType::equals).count();
    }

    /** Delivers a webhook signed now by the server's clock, which judges how fresh the signature is. */
    protected HttpResponse<String> deliver(JsonNode event) {
        return FakeStripe.deliver(api().baseUrl() + "/webhooks/stripe", STRIPE.toJson(event), WEBHOOK_SECRET,
                clock().instant());
    }

    protected static void eventually(String what, Eventually.Condition condition) {
        eventually(what, condition, () -> "");
    }

    protected static void eventually(String what, Eventually.Condition condition, Supplier<String> state) {
        Eventually.awaitTrue(what, Duration.ofSeconds(30), condition, state);
    }
}
