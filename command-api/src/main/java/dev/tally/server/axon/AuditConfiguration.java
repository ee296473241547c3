package dev.tally.server.axon;

import dev.tally.ledger.audit.LedgerCheckpoints;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The audit trail's part of Axon: the metadata every event inherits, and the checkpoint stream. */
@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

    @Bean
    CorrelationDataProvider auditCorrelation() {
        return new AuditCorrelation();
    }

    @Bean
    ConfigurerModule checkpointAggregate() {
        return configurer -> configurer.configureAggregate(LedgerCheckpoints.class);
    }
}
