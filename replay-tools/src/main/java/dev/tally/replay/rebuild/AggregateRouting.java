package dev.tally.replay.rebuild;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;

/** Which events must be handled in order: those of one aggregate (the server's sequencing policy). */
final class AggregateRouting {

    private AggregateRouting() {
    }

    static String keyOf(EventMessage<?> message) {
        return message instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier()
                : message.getIdentifier();
    }
}
