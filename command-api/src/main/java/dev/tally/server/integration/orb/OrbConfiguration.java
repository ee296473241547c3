package dev.tally.server.integration.orb;

import dev.tally.integrations.orb.OrbAccountSync;
import dev.tally.integrations.orb.OrbClient;
import dev.tally.integrations.orb.OrbCreditBlocks;
import dev.tally.integrations.orb.OrbRetryCounter;
import dev.tally.integrations.orb.OrbSequencing;
import dev.tally.integrations.orb.OrbUsageForwarder;
import dev.tally.server.axon.DeadLetterQueues;
import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The Orb sync: the client, the usage forwarder and the account sync, each on its own pooled
 * streaming processor with tokens in PostgreSQL and its own dead-letter queue, so that Orb being
 * slow or down never holds up the projections or the warehouse export.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnTallyRole(TallyRole.INTEGRATIONS)
public class OrbConfiguration {

    private static final Logger log = LoggerFactory.getLogger(OrbConfiguration.class);

    /** One segment each: Orb's write limits are per second and small; one sender keeps well within them. */
    static final int SEGMENTS = 1;
    /** Customers and credits are rare next to usage; small batches keep one refusal's rollback cheap. */
    static final int ACCOUNT_BATCH_SIZE = 50;
    /** Usage sequences the dead-letter invoker remembers as not parked (one per event, so a bounded window). */
    static final int USAGE_SEQUENCE_CACHE_SIZE = 10_000;
    /** How often an idle Orb processor looks for new events: Orb is not read-your-writes. */
    static final long IDLE_CHECK_MILLIS = 1_000;

    /** Without a key there is nothing to wire; say so once, at start. */
    @Configuration(proxyBeanMethods = false)
    @Conditional(OrbApiKeyCondition.Absent.class)
    static class Off {

        Off() {
            log.info("Orb sync is off: no tally.orb.api-key (TALLY_ORB_API_KEY) is set");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(OrbApiKeyCondition.class)
    static class On {

        @Bean
        OrbRetryCounter orbRetryCounter(ObjectProvider<MeterRegistry> registry) {
            OrbRetryCounter counter = new OrbRetryCounter();
            registry.ifAvailable(meters -> FunctionCounter.builder("tally.orb.client.retries", counter,
                    OrbRetryCounter::retries).description("Requests to Orb retried by the client").register(meters));
            return counter;
        }

        @Bean
        OrbClient orbClient(OrbProperties properties, OrbRetryCounter retries, Clock clock) {
            OrbClient client = new OrbClient(properties.clientSettings(), retries, clock);
            log.info("Orb sync is on: {}", client.settings());
            return client;
        }

        /** Every refused usage event is its own sequence; room for this many before the usage sync stalls. */
        static final int USAGE_DEAD_LETTERS_MAX = 100_000;

        @Bean
        OrbQueues orbQueues(ConnectionProvider connections, TransactionManager transactions, Serializer serializer) {
            return new OrbQueues(
                    DeadLetterQueues.forGroup(OrbUsageForwarder.PROCESSING_GROUP, connections, transactions, serializer,
                            USAGE_DEAD_LETTERS_MAX),
                    DeadLetterQueues.forGroup(OrbAccountSync.PROCESSING_GROUP, connections, transactions, serializer));
        }

        @Bean
        OrbUsageForwarder orbUsageForwarder(OrbClient client, OrbQueues queues, OrbProperties properties) {
            return new OrbUsageForwarder(client, queues.usage(), properties.batchSizeOrDefault());
        }

        @Bean
        OrbAccountSync orbAccountSync(OrbClient client, @Lazy CommandGateway commands, JdbcTemplate jdbc,
                                      OrbQueues queues) {
            return new OrbAccountSync(client, commands, new OrbCreditBlocks(jdbc), queues.accounts());
        }

        @Bean
        OrbDeadLetters orbDeadLetters(@Lazy EventProcessingConfiguration processing, OrbQueues queues) {
            return new OrbDeadLetters(processing, queues.usage(), queues.accounts());
        }

        @Bean
        ConfigurerModule orbConfigurerModule(OrbQueues queues, OrbProperties properties) {
            int usageBatch = properties.batchSizeOrDefault();
            return configurer -> configurer.eventProcessing(processing -> {
                register(processing, OrbUsageForwarder.PROCESSING_GROUP, usageBatch, OrbSequencing.perEvent(),
                        queues.usage());
                // Each usage event is its own sequence and new events are never parked already, so the invoker
                // may remember instead of asking the database for every event. Not for orb-accounts: there the
                // sync parks an account's sequence itself, and the invoker must see that for the next event.
                processing.registerDeadLetteringEventHandlerInvokerConfiguration(OrbUsageForwarder.PROCESSING_GROUP,
                        (config, invoker) -> invoker.enableSequenceIdentifierCache()
                                .sequenceIdentifierCacheSize(USAGE_SEQUENCE_CACHE_SIZE));
                register(processing, OrbAccountSync.PROCESSING_GROUP, ACCOUNT_BATCH_SIZE, OrbSequencing.perAccount(),
                        queues.accounts());
            });
        }

        private static void register(org.axonframework.config.EventProcessingConfigurer processing, String group,
                                     int batchSize, SequencingPolicy<EventMessage<?>> sequencing,
                                     SequencedDeadLetterQueue<EventMessage<?>> queue) {
            processing.registerPooledStreamingEventProcessor(group,
                    config -> config.eventStore(),
                    (config, builder) -> builder
                            .batchSize(batchSize)
                            .initialSegmentCount(SEGMENTS)
                            .maxClaimedSegments(SEGMENTS)
                            .tokenClaimInterval(IDLE_CHECK_MILLIS * 5)
                            .claimExtensionThreshold(IDLE_CHECK_MILLIS));
            processing.registerSequencingPolicy(group, config -> sequencing);
            // The handlers dead-letter into this very queue themselves, so Axon must be given the same instance.
            processing.registerDeadLetterQueue(group, config -> queue);
        }
    }

    /** The two dead-letter queues, shared by Axon's invokers and the handlers that park events themselves. */
    record OrbQueues(SequencedDeadLetterQueue<EventMessage<?>> usage,
                     SequencedDeadLetterQueue<EventMessage<?>> accounts) {
    }
}
