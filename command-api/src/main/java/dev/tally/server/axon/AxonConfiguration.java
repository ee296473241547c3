package dev.tally.server.axon;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.ledger.LedgerSettings;
import dev.tally.ledger.account.Account;
import dev.tally.ledger.plan.Plan;
import dev.tally.ledger.plan.PlanCatalog;
import dev.tally.ledger.serialization.LedgerJson;
import dev.tally.ledger.serialization.LedgerSerializer;
import dev.tally.projections.balance.BalanceQueries;
import dev.tally.projections.invoice.InvoiceQueries;
import dev.tally.projections.journal.JournalQueries;
import dev.tally.projections.usage.UsageQueries;
import java.time.Clock;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import javax.sql.DataSource;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.modelling.saga.repository.jdbc.JdbcSagaStore;
import org.axonframework.modelling.saga.repository.jdbc.PostgresSagaSqlSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Axon without Axon Server: the JDBC event storage engine, token store, saga store and
 * dead-letter queue on PostgreSQL (tables owned by Flyway), JSON serialization, cached and
 * snapshotted aggregates. The projections' processors are in {@link ProjectionProcessorConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
public class AxonConfiguration {

    /** How this process signs its token claims ({@code pid@host}, Axon's own default, made explicit). */
    public static final String NODE_ID = ManagementFactory.getRuntimeMXBean().getName();
    /** How long a claim of a process that stopped extending it holds before another process may take the segment. */
    public static final Duration TOKEN_CLAIM_TIMEOUT = Duration.ofSeconds(10);

    /** PostgreSQL's SQLSTATE for a unique constraint violation. */
    static final String UNIQUE_VIOLATION = "23505";

    /** Microseconds: what PostgreSQL keeps, so an instant reads back exactly as the ledger recorded it. */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean
    Clock clock() {
        return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
    }

    @Bean
    LedgerSettings ledgerSettings(Clock clock, LedgerProperties properties) {
        return new LedgerSettings(clock, properties.backfillWindowOrDefault(), LedgerSettings.DEFAULT_FUTURE_TOLERANCE);
    }

    /** The ledger's JSON (shared with the replay tools, so that both read events alike). */
    @Bean
    ObjectMapper axonObjectMapper() {
        return LedgerJson.newMapper();
    }

    @Bean
    @Primary
    Serializer serializer(ObjectMapper axonObjectMapper) {
        return LedgerSerializer.over(axonObjectMapper);
    }

    @Bean
    @Qualifier("eventSerializer")
    Serializer eventSerializer(Serializer serializer) {
        return serializer;
    }

    @Bean
    @Qualifier("messageSerializer")
    Serializer messageSerializer(Serializer serializer) {
        return serializer;
    }

    /**
     * One JDBC transaction manager for the application's pool, and Axon on top of it. Declared here
     * because Axon 4's auto-configuration orders itself after Spring Boot 3's transaction
     * auto-configuration and, on Spring Boot 4, would fall back to no transactions at all: events of
     * one command and a projection batch with its token must each commit atomically.
     */
    @Bean
    @Primary
    PlatformTransactionManager transactionManager(DataSource dataSource) {
        return new JdbcTransactionManager(dataSource);
    }

    @Bean
    TransactionManager axonTransactionManager(PlatformTransactionManager transactions) {
        return new SpringTransactionManager(transactions);
    }

    @Bean
    ConnectionProvider connectionProvider(DataSource dataSource) {
        return new SpringDataSourceConnectionProvider(dataSource);
    }

    /**
     * Recognises PostgreSQL's unique_violation (SQLSTATE 23505) as a duplicate key, so that an append
     * that lost the race for an aggregate's next sequence number becomes Axon's ConcurrencyException,
     * which {@code LedgerCommands} retries. Axon's JdbcSQLErrorCodesResolver only recognises
     * SQLIntegrityConstraintViolationException, which the PostgreSQL driver never throws, so with it
     * such a race with another server answered 500. (SQLStateResolver needs nothing from JPA.)
     */
    @Bean
    PersistenceExceptionResolver persistenceExceptionResolver() {
        return new SQLStateResolver(UNIQUE_VIOLATION);
    }

    @Bean
    EventStorageEngine eventStorageEngine(ConnectionProvider connections, TransactionManager transactions,
                                          Serializer serializer, PersistenceExceptionResolver exceptions) {
        JdbcEventStorageEngine.Builder builder = JdbcEventStorageEngine.builder()
                .connectionProvider(connections)
                .transactionManager(transactions)
                .eventSerializer(serializer)
                .snapshotSerializer(serializer)
                .persistenceExceptionResolver(exceptions)
                .dataType(String.class)
                .schema(EventSchema.builder()
                        .eventTable("events.domain_event_entry")
                        .snapshotTable("events.snapshot_event_entry")
                        .build())
                .batchSize(1000);
        return new JsonEventStorageEngine(builder);
    }

    @Bean
    TokenStore tokenStore(ConnectionProvider connections, Serializer serializer) {
        return JdbcTokenStore.builder()
                .connectionProvider(connections)
                .serializer(serializer)
                .schema(TokenSchema.builder().setTokenTable("axon.token_entry").build())
                .nodeId(NODE_ID)
                .claimTimeout(TOKEN_CLAIM_TIMEOUT)
                .build();
    }

    @Bean
    SagaStore<Object> sagaStore(ConnectionProvider connections, Serializer serializer) {
        return JdbcSagaStore.builder()
                .connectionProvider(connections)
                .serializer(serializer)
                .sqlSchema(new PostgresSagaSqlSchema(new SagaSchema("axon.saga_entry", "axon.association_value_entry")))
                .build();
    }

    @Bean
    Cache aggregateCache() {
        return new AggregateCache();
    }

    /**
     * Snapshots are copied from the account's live state after the command that crossed the threshold
     * commits (one serialization of the account), and written by one background thread, so a
     * snapshot never fails an acknowledged write.
     */
    @Bean(destroyMethod = "close")
    LiveSnapshots liveSnapshots(ObjectProvider<EventStore> eventStore, Serializer serializer,
                                TransactionManager transactions) {
        return new LiveSnapshots(eventStore::getObject, serializer, transactions);
    }

    @Bean
    PlanCatalog planCatalog(EventStore eventStore, Clock clock) {
        return new EventStorePlanCatalog(eventStore, clock);
    }

    @Bean
    InvoiceQueries invoiceQueries(JdbcTemplate jdbc) {
        return new InvoiceQueries(jdbc);
    }

    @Bean
    BalanceQueries balanceQueries(JdbcTemplate jdbc) {
        return new BalanceQueries(jdbc);
    }

    @Bean
    UsageQueries usageQueries(JdbcTemplate jdbc) {
        return new UsageQueries(jdbc);
    }

    @Bean
    JournalQueries journalQueries(JdbcTemplate jdbc) {
        return new JournalQueries(jdbc);
    }

    /**
     * Registers the aggregates and this server's plan-catalogue invalidation with Axon's configurer; the
     * projection processors are registered by {@link ProjectionProcessorConfiguration}, in the processes that
     * run them.
     */
    @Bean
    ConfigurerModule ledgerConfigurerModule(Cache aggregateCache, LiveSnapshots liveSnapshots,
                                            @Value("${tally.account.snapshot-threshold}") int snapshotThreshold) {
        if (snapshotThreshold < 1) {
            throw new IllegalArgumentException("TALLY_ACCOUNT_SNAPSHOT_THRESHOLD must be at least 1, got "
                    + snapshotThreshold);
        }
        return configurer -> {
            configurer.configureAggregate(Plan.class);
            configurer.configureAggregate(AggregateConfigurer.defaultConfiguration(Account.class)
                    .configureCache(config -> aggregateCache)
                    .configureCommandTargetResolver(config -> new AccountCommandTargetResolver())
                    .configureSnapshotTrigger(config -> new LiveSnapshotTriggerDefinition(liveSnapshots,
                            snapshotThreshold)));
            configurer.eventProcessing(processing -> {
                processing.registerSubscribingEventProcessor("plan-catalog");
                processing.assignHandlerTypesMatching("plan-catalog", EventStorePlanCatalog.class::equals);
            });
        };
    }
}
