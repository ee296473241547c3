package dev.tally.server.axon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.web.request.CommandOrigin;
import java.util.Map;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.Test;

// Goal: what a handled message passes on to the messages it causes, and nothing where the processor dispatches nothing.
class AuditCorrelationTest {

    private final AuditCorrelation correlation = new AuditCorrelation();
    private final EventMessage<String> event = GenericEventMessage.<String>asEventMessage("usage")
            .andMetaData(MetaData.with(AuditCorrelation.CORRELATION_ID, "corr-1").and(CommandOrigin.ACTOR, "key_1"));

    @Test
    void aCausedMessageInheritsTheActorAndCorrelationAndIsCausedByTheHandledOne() {
        Map<String, Object> data = Map.copyOf(correlation.correlationDataFor(event));

        assertThat(data).containsEntry(AuditCorrelation.CAUSATION_ID, event.getIdentifier())
                .containsEntry(AuditCorrelation.CORRELATION_ID, "corr-1")
                .containsEntry(CommandOrigin.ACTOR, "key_1");
    }

    @Test
    void aProcessorThatDispatchesNothingCorrelatesNothing() throws Exception {
        UnitOfWork<EventMessage<?>> unitOfWork = DefaultUnitOfWork.startAndGet(event);
        try {
            new DispatchesNothing().handle(unitOfWork, () -> null);
            assertThat(correlation.correlationDataFor(event)).isEmpty();
        } finally {
            unitOfWork.rollback();
        }
        assertThat(correlation.correlationDataFor(event)).as("outside that unit of work").isNotEmpty();
    }
}
