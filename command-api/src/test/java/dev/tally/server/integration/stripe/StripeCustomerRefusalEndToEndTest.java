package dev.tally.server.integration.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.integrations.stripe.StripeCustomerSync;
import dev.tally.integrations.stripe.StripeRefused;
import dev.tally.integrations.stripe.fake.Fault;
import dev.tally.projections.support.SkippedEvents;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.Eventually;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.web.position.LedgerPositions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

// Goal: an account whose customer Stripe refuses for what it holds is dead-lettered for that account alone: later
// accounts still get their customers, and an admin's retry links it once Stripe takes it; an outage is not parked.
class StripeCustomerRefusalEndToEndTest extends StripeServerTest {

    private static final String GROUP = StripeCustomerSync.PROCESSING_GROUP;

    @Autowired
    private LedgerPositions positions;

    @Autowired
    private JdbcTemplate jdbc;

    @AfterEach
    void healTheFake() {
        STRIPE.clearFaults();
    }

    @Test
    void aRefusedCustomerIsParkedForItsAccountAndLaterAccountsGoOn() {
        awaitSyncCaughtUp();
        STRIPE.failNext("POST", "/v1/customers", Fault.INVALID_NAME);

        LedgerScenario refused = LedgerScenario.open(api(), ADMIN_KEY);
        LedgerScenario later = LedgerScenario.open(api(), ADMIN_KEY);

        Eventually.awaitTrue("the later account's Stripe customer", () -> STRIPE.customerOfAccount(later.accountId)
                .isPresent());
        JsonNode letter = Eventually.await("the refused account's dead letter", () -> letterOf(refused.accountId));
        assertThat(letter.get("causeType").asText()).isEqualTo(StripeRefused.class.getName());
        assertThat(letter.get("eventType").asText()).isEqualTo("AccountOpened");
        assertThat(STRIPE.customerOfAccount(refused.accountId)).isEmpty();

        Api.Response retried = api().post("/v1/admin/dead-letters/" + GROUP + "/" + letter.get("id").asText()
                + "/retry", ADMIN_KEY, "");
        assertThat(retried.status()).as(retried.raw().body()).isEqualTo(200);
        assertThat(retried.body().get("processed").asBoolean()).isTrue();
        assertThat(STRIPE.customerOfAccount(refused.accountId)).isPresent();
        assertThat(letterOf(refused.accountId)).isNull();
    }

    @Test
    void anOutageStillHoldsTheAccountBackAndIsRetriedNotParked() {
        awaitSyncCaughtUp();
        // More dropped connections than stripe-java's own two retries: the creation fails as an unknown outcome.
        for (int i = 0; i < 3; i++) {
            STRIPE.failNext("POST", "/v1/customers", Fault.CONNECTION_RESET);
        }

        LedgerScenario account = LedgerScenario.open(api(), ADMIN_KEY);

        Eventually.awaitTrue("the account's Stripe customer, once Stripe answers again",
                () -> STRIPE.customerOfAccount(account.accountId).isPresent());
        assertThat(letterOf(account.accountId)).isNull();
    }

    @Test
    void aSkippedCustomerIsRecordedAndLeavesTheAccountsViewsAlone() {
        awaitSyncCaughtUp();
        STRIPE.failNext("POST", "/v1/customers", Fault.INVALID_NAME);
        LedgerScenario refused = LedgerScenario.open(api(), ADMIN_KEY);
        JsonNode letter = Eventually.await("the refused account's dead letter", () -> letterOf(refused.accountId));

        Api.Response skipped = api().post("/v1/admin/dead-letters/" + GROUP + "/" + letter.get("id").asText()
                + "/skip", ADMIN_KEY, "{\"reason\":\"billed outside Stripe\"}");

        assertThat(skipped.status()).as(skipped.raw().body()).isEqualTo(200);
        assertThat(letterOf(refused.accountId)).isNull();
        JsonNode audited = api().get("/v1/accounts/" + refused.accountId + "/audit?type=ProjectionEventSkipped",
                ADMIN_KEY).body().get("items");
        assertThat(audited).hasSize(1);
        assertThat(audited.get(0).get("payload").get("processingGroup").asText()).isEqualTo(GROUP);
        // A skip in the Stripe sync is not one in the read models: the account and its opening stay.
        assertThat(SkippedEvents.ofAccount(jdbc, refused.accountId)).isEmpty();
        Api.Response account = api().get("/v1/accounts/" + refused.accountId + "?minPosition=" + skipped.position(),
                ADMIN_KEY);
        assertThat(account.status()).as(account.raw().body()).isEqualTo(200);
        assertThat(STRIPE.customerOfAccount(refused.accountId)).isEmpty();
    }

    /**
     * The sync starts from the first event: it catches up on the shared database's accounts first, so that a
     * fault set next meets this test's account.
     */
    private void awaitSyncCaughtUp() {
        long head = positions.eventStoreHead();
        Eventually.awaitTrue("the customer sync caught up",
                () -> positions.processedPosition(GROUP).orElse(0) >= head);
    }

    private JsonNode letterOf(String accountId) {
        for (JsonNode item : api().get("/v1/admin/dead-letters?group=" + GROUP, ADMIN_KEY).body().get("items")) {
            if (accountId.equals(item.get("aggregateId").asText())) {
                return item;
            }
        }
        return null;
    }
}
