package dev.tally.server.integration.stripe;

import dev.tally.integrations.stripe.StripeRefused;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcDeadLetter;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueueDecision;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.axonframework.messaging.deadletter.ThrowableCause;

/**
 * What the customer sync dead-letters: only an account Stripe refused for what it holds
 * ({@link StripeRefused}), so that one account's data never holds up every later account's
 * customer. Anything else (an outage, an unknown outcome) must hold the account back and be
 * retried, not parked: on the live path it is thrown on, so the processor's batch fails and is
 * handled again, as before there was a queue; a letter an admin retries stays where it was.
 */
final class StripeRefusalsOnly implements EnqueuePolicy<EventMessage<?>> {

    @Override
    public EnqueueDecision<EventMessage<?>> decide(DeadLetter<? extends EventMessage<?>> letter, Throwable cause) {
        if (cause instanceof StripeRefused || letter instanceof JdbcDeadLetter<?>) {
            return Decisions.enqueue(ThrowableCause.truncated(cause));
        }
        if (cause instanceof RuntimeException unchecked) {
            throw unchecked;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException(cause);
    }
}
