package dev.tally.replay.rerate;

import dev.tally.ledger.LedgerSettings;
import dev.tally.ledger.account.Account;
import dev.tally.ledger.api.invoice.InvoiceIssued;
import dev.tally.ledger.invoice.InvoiceNumbers;
import dev.tally.ledger.plan.PlanCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;

/**
 * The account aggregate alone in an in-memory Axon configuration: commands sent here are decided by
 * the domain's own handlers, and the events they apply stay in this JVM. Nothing here can reach the
 * ledger's database.
 */
final class AccountRerun implements AutoCloseable {

    /**
     * The usage timestamp window of the re-run. It only re-sends what the ledger accepted, under
     * whatever window the server was configured with then, so its own window must accept any of it.
     */
    static final Duration ANY_TIMESTAMP_WINDOW = Duration.ofDays(365L * 100);

    private final Configuration configuration;
    private final RerunClock clock;

    private AccountRerun(Configuration configuration, RerunClock clock) {
        this.configuration = configuration;
        this.clock = clock;
    }

    static AccountRerun start(PlanCatalog plans, RerunClock clock, InvoiceNumbers numbers) {
        LedgerSettings settings = new LedgerSettings(clock, ANY_TIMESTAMP_WINDOW, ANY_TIMESTAMP_WINDOW);
        // No auto-located configurer modules: they would start Axon's update checker, a network call.
        Configuration configuration = DefaultConfigurer.defaultConfiguration(false)
                .configureEmbeddedEventStore(config -> new InMemoryEventStorageEngine())
                // The account's command handlers take these as parameters; Axon resolves them from here.
                .registerComponent(PlanCatalog.class, config -> plans)
                .registerComponent(LedgerSettings.class, config -> settings)
                .registerComponent(InvoiceNumbers.class, config -> numbers)
                .configureAggregate(AggregateConfigurer.defaultConfiguration(Account.class)
                        .configureCache(config -> new HeldAggregates()))
                .buildConfiguration();
        configuration.start();
        return new AccountRerun(configuration, clock);
    }

    /** Sends {@code command} as if it arrived at {@code at}, and returns the handler's answer. */
    Object send(Instant at, Object command) {
        clock.moveTo(at);
        return configuration.commandGateway().sendAndWait(command);
    }

    /** The invoice the re-run issued under {@code invoiceId}, if it issued one. */
    Optional<InvoiceIssued> issued(String accountId, String invoiceId) {
        return configuration.eventStore().readEvents(accountId).asStream()
                .map(EventMessage::getPayload)
                .filter(InvoiceIssued.class::isInstance)
                .map(InvoiceIssued.class::cast)
                .filter(invoice -> invoice.invoiceId().equals(invoiceId))
                .findFirst();
    }

    @Override
    public void close() {
        configuration.shutdown();
    }
}
