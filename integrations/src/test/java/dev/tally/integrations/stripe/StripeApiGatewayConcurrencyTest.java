package dev.tally.integrations.stripe;

import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import dev.tally.integrations.fake.HeldRequest;
import dev.tally.integrations.stripe.fake.FakeStripe;
import dev.tally.integrations.stripe.fake.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// Goal: the gateway, through stripe-java, gets through what Stripe answers under load: a 409 while the same
// idempotency key is still in flight, and a 429 that names its wait; what it cannot get through stays unknown.
class StripeApiGatewayConcurrencyTest {

    private static final Clock FROZEN = Clock.fixed(Instant.parse("2026-11-20T10:00:00Z"), ZoneOffset.UTC);

    private final ExecutorService threads = Executors.newCachedThreadPool();
    /** The waits the client asked for instead of sleeping them: the clock is frozen, so each is the whole Retry-After. */
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private FakeStripe fake;
    private StripeApiGateway gateway;
    private String customer;
    private InvoiceCollection collection;
    private HeldRequest firstPay;

    @BeforeEach
    void startFake() {
        fake = FakeStripe.start();
        gateway = new StripeApiGateway(StripeConnection.client(FakeStripe.API_KEY, fake.baseUrl(),
                StripeConnection.READ_TIMEOUT_MILLIS, FROZEN, waits::add));
    }

    @AfterEach
    void everyRequestWasInTheSpec() {
        threads.shutdownNow();
        assertThat(fake.specViolations()).isEmpty();
        fake.close();
    }

    @Test
    void canPayOnceWhenASecondCollectorMeetsTheFirstPaymentStillInFlight() throws Exception {
        Future<CollectionResult> first = firstCollectorPayingHeld("acct-c1", "inv_concurrent");

        Future<CollectionResult> second = threads.submit(() -> gateway.collect(collection, customer, 1));
        firstPay.awaitConcurrentRefused();
        firstPay.release();

        CollectionResult paid = first.get(HeldRequest.WAIT_MAX.toSeconds(), TimeUnit.SECONDS);
        CollectionResult replayed = second.get(HeldRequest.WAIT_MAX.toSeconds(), TimeUnit.SECONDS);
        assertThat(paid.status()).isEqualTo(CollectionResult.Status.PAID);
        assertThat(replayed).as("stripe-java retried the 409 and got the first answer").isEqualTo(paid);
        assertThat(fake.successfulCharges()).isEqualTo(1);
        // The first pay, the second refused with 409, and the second again once the first had answered.
        assertThat(payRequests(paid.stripeInvoiceId())).isGreaterThanOrEqualTo(3);
    }

    @Test
    void cannotLearnTheOutcomeWhileTheFirstPaymentOutlastsTheRetries() throws Exception {
        Future<CollectionResult> first = firstCollectorPayingHeld("acct-c2", "inv_outlasted");

        // stripe-java makes an ApiException of any 409, whatever the error's type.
        assertThatThrownBy(() -> gateway.collect(collection, customer, 1)).isInstanceOf(StripeOutcomeUnknown.class)
                .cause().isInstanceOfSatisfying(StripeException.class, conflict -> {
                    assertThat(conflict.getStatusCode()).isEqualTo(409);
                    assertThat(conflict.getStripeError().getType()).isEqualTo("idempotency_error");
                    assertThat(conflict.getCode()).isEqualTo("idempotency_key_in_use");
                });
        firstPay.release();

        CollectionResult paid = first.get(HeldRequest.WAIT_MAX.toSeconds(), TimeUnit.SECONDS);
        assertThat(paid.status()).isEqualTo(CollectionResult.Status.PAID);
        assertThat(fake.successfulCharges()).isEqualTo(1);
        assertThat(payRequests(paid.stripeInvoiceId())).as("the first, and the second with all its retries")
                .isEqualTo(1 + 1 + StripeConnection.MAX_NETWORK_RETRIES);
    }

    @Test
    void canWaitOutARateLimitThatNamesItsWaitAndThenCreateTheCustomer() {
        fake.retryAfter(Duration.ofSeconds(3));
        fake.failNext("POST", "/v1/customers", Fault.RATE_LIMITED_RETRY_AFTER);

        String customer = gateway.createCustomer("acct-r1", "Acme", null);

        assertThat(fake.customerOfAccount("acct-r1").orElseThrow().path("id").asText()).isEqualTo(customer);
        assertThat(waits).containsExactly(Duration.ofSeconds(3));
        assertThat(customerCreations()).isEqualTo(2);
    }

    @Test
    void cannotWaitOutMoreRateLimitsThanTheRetryLimit() {
        for (int answer = 0; answer <= StripeConnection.MAX_NETWORK_RETRIES; answer++) {
            fake.failNext("POST", "/v1/customers", Fault.RATE_LIMITED_RETRY_AFTER);
        }

        assertThatThrownBy(() -> gateway.createCustomer("acct-r2", "Acme", null))
                .isInstanceOf(StripeOutcomeUnknown.class).hasCauseInstanceOf(RateLimitException.class);
        assertThat(waits).hasSize(StripeConnection.MAX_NETWORK_RETRIES)
                .containsOnly(FakeStripe.DEFAULT_RETRY_AFTER);
        assertThat(customerCreations()).isEqualTo(1 + StripeConnection.MAX_NETWORK_RETRIES);
        assertThat(gateway.createCustomer("acct-r2", "Acme", null)).as("the next call, once Stripe lets it through")
                .isNotBlank();
    }

    @Test
    void cannotWaitLongerThanTheLongestRetryAfterWithinACall() {
        fake.retryAfter(StripeConnection.RETRY_AFTER_MAX.plusSeconds(1));
        fake.failNext("POST", "/v1/customers", Fault.RATE_LIMITED_RETRY_AFTER);

        assertThatThrownBy(() -> gateway.createCustomer("acct-r3", "Acme", null))
                .isInstanceOf(StripeOutcomeUnknown.class).hasCauseInstanceOf(RateLimitException.class);
        assertThat(waits).isEmpty();
        assertThat(customerCreations()).isEqualTo(1);
    }

    @Test
    void cannotRetryARateLimitStripeSaysNotToRetry() {
        fake.failNext("POST", "/v1/customers", Fault.RATE_LIMITED);

        assertThatThrownBy(() -> gateway.createCustomer("acct-r4", "Acme", null))
                .isInstanceOf(StripeOutcomeUnknown.class).hasCauseInstanceOf(RateLimitException.class);
        assertThat(waits).isEmpty();
        assertThat(customerCreations()).isEqualTo(1);
    }

    /** A collector of a new invoice, on another thread, whose payment the fake holds in flight. */
    private Future<CollectionResult> firstCollectorPayingHeld(String accountId, String ledgerInvoiceId) {
        customer = gateway.createCustomer(accountId, "Acme", null);
        collection = InvoiceCollection.of(TestInvoices.issued(accountId, ledgerInvoiceId));
        firstPay = fake.holdNext("POST", "/pay");
        Future<CollectionResult> first = threads.submit(() -> gateway.collect(collection, customer, 1));
        firstPay.awaitHeld();
        return first;
    }

    private long payRequests(String stripeInvoiceId) {
        String pay = "POST /v1/invoices/" + stripeInvoiceId + "/pay";
        return fake.requests().stream().filter(pay::equals).count();
    }

    private long customerCreations() {
        return fake.requests().stream().filter("POST /v1/customers"::equals).count();
    }
}
