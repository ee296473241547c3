package dev.tally.server.processing;

import dev.tally.projections.support.UnprojectableEvents;
import dev.tally.server.axon.AxonConfiguration;
import dev.tally.server.web.command.LedgerCommands;
import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import dev.tally.server.web.position.LedgerPositions;
import dev.tally.server.web.position.StalledAccounts;
import java.time.Duration;
import org.axonframework.config.EventProcessingConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.ObjectMapper;

/** Dead letters, processor metrics and segment balancing exist where processors run. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnTallyRole({TallyRole.PROJECTIONS, TallyRole.INTEGRATIONS})
public class ProcessingConfiguration {

    @Bean
    DeadLetters deadLetters(EventProcessingConfiguration processing, LedgerPositions positions, JdbcTemplate jdbc,
                            LedgerCommands commands, ObjectProvider<UnprojectableEvents> unprojectable,
                            ObjectMapper json) {
        return new DeadLetters(processing, positions, jdbc, commands, unprojectable, json);
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

    /** Named so that its contributor is "processors", which the readiness group includes (application.yml). */
    @Bean
    ProcessorsHealthIndicator processorsHealthIndicator(EventProcessingConfiguration processing) {
        return new ProcessorsHealthIndicator(processing);
    }

    @Bean
    ProcessorMetrics eventProcessorMetrics(EventProcessingConfiguration processing, LedgerPositions positions,
                                      DeadLetters deadLetters, StalledAccounts stalled) {
        return new ProcessorMetrics(processing, positions, deadLetters, stalled);
    }
}
