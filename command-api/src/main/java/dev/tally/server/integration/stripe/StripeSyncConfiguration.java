package dev.tally.server.integration.stripe;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.Task;
import dev.tally.integrations.stripe.CollectionSettings;
import dev.tally.integrations.stripe.InvoiceCollectionSaga;
import dev.tally.integrations.stripe.JdbcStripeCustomerDirectory;
import dev.tally.integrations.stripe.StripeCustomerDirectory;
import dev.tally.integrations.stripe.StripeCustomerSync;
import dev.tally.integrations.stripe.StripeGateway;
import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.util.List;

/**
 * The Stripe sync of an {@code integrations} process: the customer sync and the invoice collection
 * saga, each on a pooled streaming processor of its own (tokens in {@code axon.token_entry}), and
 * db-scheduler on {@code integrations.scheduled_tasks} for the saga's deadlines. A {@link Scheduler}
 * bean is what makes Axon's auto-configuration provide its {@code DbSchedulerDeadlineManager} and
 * the task that runs its deadlines; the scheduler is given that task here.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnTallyRole(TallyRole.INTEGRATIONS)
@ConditionalOnStripeApiKey
public class StripeSyncConfiguration {

    public static final String SCHEDULED_TASKS_TABLE = "integrations.scheduled_tasks";
    /** Threads running due deadlines; each calls Stripe at most once at a time per saga. */
    static final int SCHEDULER_THREADS = 2;
    /**
     * Events per transaction. A batch that fails is handled again as a whole, which is safe: an account
     * already in the directory is not sent to Stripe again, and one that is replays its idempotency key.
     */
    static final int CUSTOMER_BATCH_SIZE = 100;
    static final int SAGA_BATCH_SIZE = 10;
    static final int SEGMENTS = 1;

    @Bean
    StripeCustomerDirectory stripeCustomerDirectory(JdbcTemplate jdbc) {
        return new JdbcStripeCustomerDirectory(jdbc);
    }

    @Bean
    StripeCustomerSync stripeCustomerSync(StripeGateway stripe, StripeCustomerDirectory directory,
                                          CommandGateway commands) {
        return new StripeCustomerSync(stripe, directory, commands);
    }

    @Bean
    CollectionSettings stripeCollectionSettings(StripeProperties properties) {
        return new CollectionSettings(properties.retryDelayOrDefault());
    }

    /** Started and stopped with the context: Axon's deadline manager neither starts nor stops a scheduler it was given. */
    @Bean(initMethod = "start", destroyMethod = "stop")
    Scheduler stripeDeadlineScheduler(DataSource dataSource, List<Task<?>> tasks, StripeProperties properties) {
        return Scheduler.create(dataSource, tasks)
                .tableName(SCHEDULED_TASKS_TABLE)
                .threads(SCHEDULER_THREADS)
                .pollingInterval(properties.schedulerPollingIntervalOrDefault())
                .build();
    }

    @Bean
    ConfigurerModule stripeSyncConfigurerModule(SagaStore<Object> sagaStore) {
        return configurer -> configurer.eventProcessing(processing -> {
            String customers = StripeCustomerSync.PROCESSING_GROUP;
            // From the start of the log: accounts opened before the sync was switched on get customers too.
            processing.registerPooledStreamingEventProcessor(customers, config -> config.eventStore(),
                    (config, builder) -> builder.batchSize(CUSTOMER_BATCH_SIZE)
                            .initialSegmentCount(SEGMENTS).maxClaimedSegments(SEGMENTS));
            processing.assignHandlerTypesMatching(customers, StripeCustomerSync.class::equals);
            // A Stripe outage must hold the account back, not skip it: the failing event is retried.
            processing.registerListenerInvocationErrorHandler(customers, config -> PropagatingErrorHandler.instance());

            String collection = InvoiceCollectionSaga.PROCESSING_GROUP;
            processing.assignHandlerTypesMatching(collection, InvoiceCollectionSaga.class::equals);
            // From now on: switching the sync on must not collect invoices issued (and settled) long ago.
            processing.registerPooledStreamingEventProcessor(collection, config -> config.eventStore(),
                    (config, builder) -> builder.batchSize(SAGA_BATCH_SIZE)
                            .initialSegmentCount(SEGMENTS).maxClaimedSegments(SEGMENTS)
                            .initialToken(StreamableMessageSource::createHeadToken));
            processing.registerSaga(InvoiceCollectionSaga.class, saga -> saga.configureSagaStore(config -> sagaStore));
        });
    }
}
