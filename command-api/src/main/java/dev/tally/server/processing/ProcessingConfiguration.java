package dev.tally.server.processing;

import dev.tally.server.axon.AxonConfiguration;
import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import dev.tally.server.web.position.LedgerPositions;
import java.time.Duration;
import org.axonframework.config.EventProcessingConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Dead letters, processor metrics and segment balancing exist where processors run. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnTallyRole({TallyRole.PROJECTIONS, TallyRole.INTEGRATIONS})
public class ProcessingConfiguration {

    @Bean
    DeadLetters deadLetters(EventProcessingConfiguration processing) {
        return new DeadLetters(processing);
    }

    @Bean
    SegmentBalancer segmentBalancer(JdbcTemplate jdbc, EventProcessingConfiguration processing,
                                    @Value("${tally.processing.member-expiry:PT6S}") Duration memberExpiry) {
        if (memberExpiry.compareTo(AxonConfiguration.TOKEN_CLAIM_TIMEOUT) >= 0) {
            throw new IllegalStateException("tally.processing.member-expiry (" + memberExpiry
                    + ") must be shorter than the token claim timeout (" + AxonConfiguration.TOKEN_CLAIM_TIMEOUT + ")");
        }
        return new SegmentBalancer(jdbc, processing, AxonConfiguration.NODE_ID, memberExpiry);
    }

    @Bean
    ProcessorMetrics eventProcessorMetrics(EventProcessingConfiguration processing, LedgerPositions positions,
                                      DeadLetters deadLetters) {
        return new ProcessorMetrics(processing, positions, deadLetters);
    }
}
