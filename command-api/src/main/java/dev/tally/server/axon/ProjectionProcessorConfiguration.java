package dev.tally.server.axon;

import dev.tally.projections.balance.BalanceProjection;
import dev.tally.projections.invoice.InvoiceProjection;
import dev.tally.projections.journal.JournalProjection;
import dev.tally.projections.support.ProcessingGroups;
import dev.tally.projections.support.ProjectionSchema;
import dev.tally.projections.support.SkippedEvents;
import dev.tally.projections.support.UnprojectableEvents;
import dev.tally.projections.usage.UsageProjection;
import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.serialization.Serializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The projections' event handlers and their pooled streaming processor, with its dead-letter queue.
 * Only a process with the {@code projections} role has them: Axon creates a processor for every
 * event-handler bean it finds, so without the beans a process claims no projection token at all.
 * Read-your-writes still works in an API-only process, which reads the processor's tokens from the
 * database.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnTallyRole(TallyRole.PROJECTIONS)
public class ProjectionProcessorConfiguration {

    /** Events a projection processor handles in one transaction. */
    static final int PROJECTION_BATCH_SIZE = 500;
    static final int PROJECTION_SEGMENTS = 2;
    /** Accounts per processor known to have no dead-lettered events. */
    static final int DEAD_LETTER_SEQUENCE_CACHE_SIZE = 50_000;
    /**
     * How often an idle projection processor looks for new events (it is not woken by appends
     * from this node), and so the floor of the projection lag that read-your-writes waits out.
     */
    static final long PROJECTION_IDLE_CHECK_MILLIS = 100;

    /** What the projections leave out: events an admin skipped, events PostgreSQL refused. */
    @Bean
    UnprojectableEvents unprojectableEvents(JdbcTemplate jdbc) {
        return new UnprojectableEvents(() -> SkippedEvents.inLedger(jdbc));
    }

    @Bean
    BalanceProjection balanceProjection(JdbcTemplate jdbc, UnprojectableEvents unprojectable) {
        return new BalanceProjection(jdbc, ProjectionSchema.LIVE, unprojectable);
    }

    @Bean
    UsageProjection usageProjection(JdbcTemplate jdbc, UnprojectableEvents unprojectable) {
        return new UsageProjection(jdbc, ProjectionSchema.LIVE, unprojectable);
    }

    @Bean
    JournalProjection journalProjection(JdbcTemplate jdbc, UnprojectableEvents unprojectable) {
        return new JournalProjection(jdbc, ProjectionSchema.LIVE, unprojectable);
    }

    @Bean
    InvoiceProjection invoiceProjection(JdbcTemplate jdbc, UnprojectableEvents unprojectable) {
        return new InvoiceProjection(jdbc, ProjectionSchema.LIVE, unprojectable);
    }

    /** Registers the projection processor and its dead-letter queue with Axon's configurer. */
    @Bean
    ConfigurerModule projectionProcessorModule(ConnectionProvider connections, TransactionManager transactions,
                                               Serializer serializer) {
        return configurer -> configurer.eventProcessing(processing -> {
            for (String group : ProcessingGroups.ALL) {
                processing.registerPooledStreamingEventProcessor(group,
                        config -> config.eventStore(),
                        (config, builder) -> builder
                                .batchSize(PROJECTION_BATCH_SIZE)
                                .initialSegmentCount(PROJECTION_SEGMENTS)
                                .maxClaimedSegments(PROJECTION_SEGMENTS)
                                .tokenClaimInterval(PROJECTION_IDLE_CHECK_MILLIS * 10)
                                .claimExtensionThreshold(PROJECTION_IDLE_CHECK_MILLIS));
                processing.registerHandlerInterceptor(group, config -> new DispatchesNothing());
                processing.registerDeadLetterQueue(group,
                        config -> DeadLetterQueues.forGroup(group, connections, transactions, serializer));
                // Remember which accounts have no dead letters, instead of asking the database per event.
                processing.registerDeadLetteringEventHandlerInvokerConfiguration(group, (config, invoker) -> invoker
                        .enableSequenceIdentifierCache()
                        .sequenceIdentifierCacheSize(DEAD_LETTER_SEQUENCE_CACHE_SIZE));
            }
        });
    }
}
