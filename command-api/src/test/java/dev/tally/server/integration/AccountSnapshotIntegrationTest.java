package dev.tally.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.ledger.account.Account;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.EventTimestamps;
import dev.tally.server.testing.Eventually;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.ServerTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.AggregateSnapshotter;
import org.axonframework.eventsourcing.GenericAggregateFactory;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.annotation.ClasspathParameterResolverFactory;
import org.axonframework.messaging.annotation.MultiParameterResolverFactory;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.axonframework.spring.config.annotation.SpringBeanParameterResolverFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

// Goal: a busy account is snapshotted, and an account loaded cold from its snapshot keeps deciding exactly.
class AccountSnapshotIntegrationTest extends ServerTest {

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private Cache aggregateCache;

    @Autowired
    private EventStore eventStore;

    @Autowired
    private TransactionManager transactions;

    @Autowired
    private ApplicationContext context;

    @Test
    void busyAccountIsSnapshottedAndLoadsColdFromIt() throws Exception {
        LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
        Instant when = LedgerScenario.recently();
        for (int batch = 0; batch < 10; batch++) {
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                events.add("""
                        {"idempotencyKey":"k-%d-%d","accountId":"%s","meter":"gpu_seconds","quantity":"10","timestamp":"%s"}"""
                        .formatted(batch, i, ledger.accountId, when));
            }
            Api.Response answer = api().post("/v1/usage", ADMIN_KEY, "{\"events\":[" + String.join(",", events) + "]}");
            assertThat(answer.status()).isEqualTo(200);
        }
        // The snapshot is written in the background after the commit that crossed 1000 events.
        Eventually.awaitTrue("the account's snapshot", Duration.ofSeconds(10), () -> jdbc.queryForObject(
                "SELECT count(*) FROM events.snapshot_event_entry WHERE aggregateIdentifier = ?", Integer.class,
                ledger.accountId) == 1);

        assertThatTheSnapshotHoldsWhatAReplayBuilds(ledger.accountId);

        aggregateCache.removeAll();
        Api.Response retry = ledger.usage("k-0-0", "gpu_seconds", "10", when);
        assertThat(retry.body().get("results").get(0).get("status").asText()).isEqualTo("duplicate");
        Api.Response fresh = ledger.usage("k-new", "gpu_seconds", "10", when);
        assertThat(fresh.body().get("results").get(0).get("status").asText()).isEqualTo("accepted");
        // 1001 events × 10 × 0.002
        assertThat(ledger.balance(fresh.position()).body().get("unbilled").asText()).isEqualTo("20.02");
        // The balance as of now replays the whole history, not the events after the snapshot.
        Api.Response asOf = api().get("/v1/accounts/" + ledger.accountId + "/balance?asOf="
                + EventTimestamps.betweenEvents(), ADMIN_KEY);
        assertThat(asOf.status()).as(asOf.raw().body()).isEqualTo(200);
        assertThat(asOf.body().get("unbilled").asText()).isEqualTo("20.02");
    }

    /**
     * The snapshot is copied from the account's live state; Axon's own snapshotter, which replays the
     * stored events instead, must write the same state at the same sequence.
     */
    private void assertThatTheSnapshotHoldsWhatAReplayBuilds(String accountId) throws Exception {
        Map<String, Object> live = jdbc.queryForMap(
                "SELECT sequenceNumber, payload::text AS payload FROM events.snapshot_event_entry WHERE aggregateIdentifier = ?",
                accountId);
        jdbc.update("DELETE FROM events.snapshot_event_entry WHERE aggregateIdentifier = ?", accountId);
        ParameterResolverFactory resolvers = MultiParameterResolverFactory.ordered(
                ClasspathParameterResolverFactory.forClass(Account.class), new SpringBeanParameterResolverFactory(context));
        AggregateSnapshotter.builder()
                .parameterResolverFactory(resolvers)
                .eventStore(eventStore)
                .aggregateFactories(new GenericAggregateFactory<>(
                        AnnotatedAggregateMetaModelFactory.inspectAggregate(Account.class, resolvers)))
                .transactionManager(transactions)
                .build()
                .scheduleSnapshot(Account.class, accountId);
        Map<String, Object> replayed = jdbc.queryForMap(
                "SELECT sequenceNumber, payload::text AS payload FROM events.snapshot_event_entry WHERE aggregateIdentifier = ?",
                accountId);

        assertThat(replayed.get("sequenceNumber")).isEqualTo(live.get("sequenceNumber"));
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree((String) live.get("payload"))).isEqualTo(json.readTree((String) replayed.get("payload")));
    }
}
