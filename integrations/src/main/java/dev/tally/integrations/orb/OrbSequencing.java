package dev.tally.integrations.orb;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;

/**
 * The sequencing policies of the Orb processors. They decide both which segment handles an event
 * and which dead letters hold up which events, and the handlers use the same identifiers when
 * they dead-letter an event themselves, so each policy is defined once, here.
 */
public final class OrbSequencing {

    private OrbSequencing() {
    }

    /**
     * Usage: every event is its own sequence. Orb sums usage in any order and dedups by key, so a
     * dead-lettered usage event holds up nothing else, not even the same account's usage.
     */
    public static SequencingPolicy<EventMessage<?>> perEvent() {
        return OrbSequencing::eventSequence;
    }

    /** Customers and credits: one sequence per account, so a void never overtakes its grant. */
    public static SequencingPolicy<EventMessage<?>> perAccount() {
        return OrbSequencing::accountSequence;
    }

    static Object eventSequence(EventMessage<?> message) {
        return message.getIdentifier();
    }

    static Object accountSequence(EventMessage<?> message) {
        return message instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier()
                : message.getIdentifier();
    }
}
