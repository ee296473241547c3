package dev.tally.projections.support;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * What the projections leave out, shared by every projection of a processor (or of a rebuild):
 * <ul>
 *   <li>events an admin skipped ({@code ProjectionEventSkipped}): no projection applies them, so
 *       the live views and a rebuild agree without them;</li>
 *   <li>events found not to apply (PostgreSQL refused what they hold): every handler refuses them
 *       before writing anything, so the processor dead-letters them for their account.</li>
 * </ul>
 * A batch that fails at its end does not say which event failed; {@link BatchScope} finds it by
 * writing the batch again event by event, and the processor's retry of the batch then meets the
 * refusal here, in the handler, where Axon's dead-letter queue takes over.
 */
public final class UnprojectableEvents {

    /** Refused events remembered at once; past this many the memory starts over (each is found again). */
    public static final int REFUSED_REMEMBERED_MAX = 10_000;

    private final Supplier<Set<String>> skippedInLedger;
    private volatile Set<String> skipped;
    private final Map<String, String> refused = new ConcurrentHashMap<>();

    /**
     * {@code skippedInLedger} reads the ids of every skipped event from the ledger: before the first
     * event is handled, and again whenever an event is refused.
     */
    public UnprojectableEvents(Supplier<Set<String>> skippedInLedger) {
        this.skippedInLedger = skippedInLedger;
    }

    private Set<String> skipped() {
        Set<String> known = skipped;
        if (known == null) {
            synchronized (this) {
                if (skipped == null) {
                    skipped = Set.copyOf(skippedInLedger.get());
                }
                known = skipped;
            }
        }
        return known;
    }

    /**
     * Whether the projections apply the event being handled now: false for a skipped event; an
     * {@link UnprojectableEvent} for one found not to apply. Every projection handler asks first.
     */
    public boolean admitsCurrentEvent() {
        EventMessage<?> message = (EventMessage<?>) CurrentUnitOfWork.get().getMessage();
        String eventId = message.getIdentifier();
        if (skipped().contains(eventId)) {
            return false;
        }
        String cause = refused.get(eventId);
        if (cause != null) {
            throw new UnprojectableEvent(cause);
        }
        return true;
    }

    /** Whether the admin skipped the event {@code eventId}. */
    public boolean isSkipped(String eventId) {
        return skipped().contains(eventId);
    }

    /** An admin skipped {@code eventId}: no projection applies it from now on. */
    public synchronized void skipped(String eventId) {
        if (!skipped().contains(eventId)) {
            Set<String> more = new HashSet<>(skipped());
            more.add(eventId);
            skipped = Set.copyOf(more);
        }
        refused.remove(eventId);
    }

    /** The admin retries {@code eventId}: the handlers try to apply it again. */
    public void retrying(String eventId) {
        refused.remove(eventId);
    }

    /**
     * PostgreSQL refused what {@code message} holds. Unless the ledger meanwhile holds a skip of it
     * (read again now: another process may have recorded one), the handlers refuse it from now on.
     */
    void refused(EventMessage<?> message, String projection, Throwable failure) {
        synchronized (this) {
            skipped = Set.copyOf(skippedInLedger.get());
        }
        if (skipped.contains(message.getIdentifier())) {
            return;
        }
        if (refused.size() >= REFUSED_REMEMBERED_MAX) {
            refused.clear();
        }
        refused.put(message.getIdentifier(), describe(message, projection, failure));
    }

    /** The events found not to apply so far, by id, with why. */
    public Map<String, String> refused() {
        return Map.copyOf(refused);
    }

    private static String describe(EventMessage<?> message, String projection, Throwable failure) {
        String position = message instanceof TrackedEventMessage<?> tracked && tracked.trackingToken() != null
                ? tracked.trackingToken().position().stream().mapToObj(Long::toString).findFirst().orElse("?") : "?";
        return "the " + projection + " projection cannot apply " + message.getPayloadType().getSimpleName()
                + " " + message.getIdentifier() + " at position " + position + ": " + DataFaults.describe(failure);
    }
}
