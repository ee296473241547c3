package dev.tally.server.processing;

import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import dev.tally.server.web.position.LedgerPositions;
import org.axonframework.config.EventProcessingConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Dead letters and processor metrics exist where processors run. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnTallyRole({TallyRole.PROJECTIONS, TallyRole.INTEGRATIONS})
public class ProcessingConfiguration {

    @Bean
    DeadLetters deadLetters(EventProcessingConfiguration processing) {
        return new DeadLetters(processing);
    }

    @Bean
    ProcessorMetrics eventProcessorMetrics(EventProcessingConfiguration processing, LedgerPositions positions,
                                      DeadLetters deadLetters) {
        return new ProcessorMetrics(processing, positions, deadLetters);
    }
}
