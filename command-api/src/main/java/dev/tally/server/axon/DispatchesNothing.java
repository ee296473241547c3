package dev.tally.server.axon;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Marks the units of work of a processor that never sends a command or publishes an event (the
 * projections), so that {@link AuditCorrelation} gives their messages nothing. Axon still creates
 * a message per handled event there (its result), and correlating it would read, and so
 * deserialize, every event's metadata: a sixth of the projection processor's time in a profile.
 */
public final class DispatchesNothing implements MessageHandlerInterceptor<EventMessage<?>> {

    private static final String RESOURCE = DispatchesNothing.class.getName();

    @Override
    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain interceptorChain)
            throws Exception {
        unitOfWork.root().resources().put(RESOURCE, Boolean.TRUE);
        return interceptorChain.proceed();
    }

    /** Whether the unit of work in progress belongs to such a processor. */
    static boolean applies() {
        return CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get().root().resources().containsKey(RESOURCE);
    }
}
