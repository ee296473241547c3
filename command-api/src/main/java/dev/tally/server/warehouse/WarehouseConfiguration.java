package dev.tally.server.warehouse;

import dev.tally.server.axon.DeadLetterQueues;
import dev.tally.projections.warehouse.BigQueryConnection;
import dev.tally.projections.warehouse.BigQueryWarehouse;
import dev.tally.projections.warehouse.ExportedEvents;
import dev.tally.projections.warehouse.NdjsonWarehouse;
import dev.tally.projections.warehouse.WarehouseExport;
import dev.tally.projections.warehouse.WarehouseExporter;
import dev.tally.projections.warehouse.WarehouseRows;
import dev.tally.projections.warehouse.WarehouseSink;
import dev.tally.server.database.DatabaseProperties;
import java.time.Clock;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The warehouse export's wiring: the destination chosen from the settings, the exporter, and its
 * own pooled streaming processor with tokens in PostgreSQL and its own dead-letter queue, so that
 * a slow or unreachable warehouse never holds up the projections.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnTallyRole(TallyRole.INTEGRATIONS)
@ConditionalOnProperty(prefix = "tally.warehouse", name = "enabled", havingValue = "true", matchIfMissing = true)
public class WarehouseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(WarehouseConfiguration.class);

    /** Events the export processor handles per transaction; its rows go out in writes of at most 500. */
    static final int EXPORT_BATCH_SIZE = 500;
    /**
     * One segment: the export is I/O-bound on one destination, and one writer keeps the NDJSON
     * files and BigQuery requests strictly serial (ordering is not needed, it is just simpler to reason about).
     */
    static final int EXPORT_SEGMENTS = 1;
    /** Accounts known to have no dead-lettered export, as for the projections. */
    static final int DEAD_LETTER_SEQUENCE_CACHE_SIZE = 50_000;
    /** How often an idle export processor looks for new events: the warehouse is not read-your-writes. */
    static final long EXPORT_IDLE_CHECK_MILLIS = 1_000;

    @Bean
    WarehouseSink warehouseSink(WarehouseProperties properties, DatabaseProperties database) {
        if (properties.usesBigQuery()) {
            BigQueryConnection connection = BigQueryConnection.of(properties.bigqueryProject(),
                    properties.bigqueryDataset(), properties.bigqueryHost());
            log.info("Exporting ledger events to BigQuery {}", connection);
            return new BigQueryWarehouse(connection);
        }
        NdjsonWarehouse files = new NdjsonWarehouse(database.dataDirOrDefault().resolve("warehouse"));
        log.info("Exporting ledger events to NDJSON files under {} (no BigQuery configured)", files.directory());
        return files;
    }

    @Bean
    WarehouseExport warehouseExport(WarehouseSink sink, JdbcTemplate jdbc, Clock clock) {
        return new WarehouseExport(sink, new WarehouseRows(), new ExportedEvents(jdbc), clock);
    }

    @Bean
    ExportLedgerFolding exportLedgerFolding(WarehouseSink sink, JdbcTemplate jdbc, TransactionTemplate transactions,
                                            Clock clock) {
        return new ExportLedgerFolding(new ExportedEvents(jdbc), sink, jdbc, transactions, clock);
    }

    @Bean
    WarehouseExporter warehouseExporter(WarehouseExport export, JdbcTemplate jdbc) {
        return new WarehouseExporter(export, jdbc);
    }

    @Bean
    ConfigurerModule warehouseConfigurerModule(ConnectionProvider connections, TransactionManager transactions,
                                               Serializer serializer) {
        String group = WarehouseExporter.PROCESSING_GROUP;
        return configurer -> configurer.eventProcessing(processing -> {
            processing.registerPooledStreamingEventProcessor(group,
                    config -> config.eventStore(),
                    (config, builder) -> builder
                            .batchSize(EXPORT_BATCH_SIZE)
                            .initialSegmentCount(EXPORT_SEGMENTS)
                            .maxClaimedSegments(EXPORT_SEGMENTS)
                            .tokenClaimInterval(EXPORT_IDLE_CHECK_MILLIS * 5)
                            .claimExtensionThreshold(EXPORT_IDLE_CHECK_MILLIS));
            processing.registerDeadLetterQueue(group,
                    config -> DeadLetterQueues.forGroup(group, connections, transactions, serializer));
            // Remember which accounts have no dead letters, instead of asking the database for every event.
            processing.registerDeadLetteringEventHandlerInvokerConfiguration(group, (config, invoker) -> invoker
                    .enableSequenceIdentifierCache()
                    .sequenceIdentifierCacheSize(DEAD_LETTER_SEQUENCE_CACHE_SIZE));
        });
    }
}
