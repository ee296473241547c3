package dev.tally.integrations.orb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.integrations.fake.HeldRequest;
import dev.tally.integrations.orb.fake.FakeOrb;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

// Goal: a request that meets its own first try still running at Orb (409) is retried until Orb replays the
// first answer, and is unavailable, not refused, when the first try outlasts the retries.
class OrbIdempotencyConflictTest {

    private static final OrbNewCustomer CUSTOMER = new OrbNewCustomer("acct-9", "Acme", "ops@acme.test", "USD",
            Map.of("tally_account_id", "acct-9"));

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private FakeOrb orb;
    private OrbRetryCounter retries;
    private HeldRequest first;

    @BeforeEach
    void start() {
        orb = FakeOrb.start();
        retries = new OrbRetryCounter();
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
        orb.close();
    }

    private OrbClient clientWith(int retriesMax, Duration backoffFirst) {
        return new OrbClient(OrbClientSettings.of(orb.baseUrl(), FakeOrb.API_KEY)
                .withRetries(retriesMax, backoffFirst, backoffFirst.multipliedBy(2)), retries, Clock.systemUTC());
    }

    /** Creates the customer on another thread, the fake holding that request in flight. */
    private Future<OrbCustomer> firstCallHeld(OrbClient client) {
        first = orb.holdNext("POST", "/v1/customers");
        Future<OrbCustomer> call = threads.submit(() -> client.createCustomer(CUSTOMER));
        first.awaitHeld();
        return call;
    }

    @Test
    void canGetTheFirstAnswerWhenTheSameRequestMeetsItStillRunning() throws Exception {
        OrbClient client = clientWith(4, Duration.ofMillis(200));
        Future<OrbCustomer> firstCall = firstCallHeld(client);

        Future<OrbCustomer> secondCall = threads.submit(() -> client.createCustomer(CUSTOMER));
        first.awaitConcurrentRefused();
        first.release();

        OrbCustomer created = firstCall.get(HeldRequest.WAIT_MAX.toSeconds(), TimeUnit.SECONDS);
        assertThat(secondCall.get(HeldRequest.WAIT_MAX.toSeconds(), TimeUnit.SECONDS)).isEqualTo(created);
        assertThat(orb.state().customers()).hasSize(1);
        assertThat(retries.retries()).as("the 409 was retried").isGreaterThanOrEqualTo(1);
        // The first, the second refused with 409, and the second again once the first had answered.
        assertThat(orb.receivedCount("POST", "/v1/customers")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void cannotLearnTheAnswerWhileTheFirstRequestOutlastsTheRetries() throws Exception {
        OrbClient client = clientWith(2, Duration.ofMillis(10));
        Future<OrbCustomer> firstCall = firstCallHeld(client);

        assertThatThrownBy(() -> client.createCustomer(CUSTOMER)).isInstanceOf(OrbUnavailable.class)
                .hasMessageContaining("409");
        first.release();

        assertThat(firstCall.get(HeldRequest.WAIT_MAX.toSeconds(), TimeUnit.SECONDS).externalCustomerId())
                .isEqualTo("acct-9");
        assertThat(orb.state().customers()).hasSize(1);
        assertThat(retries.retries()).isEqualTo(2);
        assertThat(orb.receivedCount("POST", "/v1/customers")).as("the first, and the second with all its retries")
                .isEqualTo(1 + 1 + 2);
    }
}
