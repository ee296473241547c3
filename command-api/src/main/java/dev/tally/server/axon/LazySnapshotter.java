package dev.tally.server.axon;

import java.util.function.Supplier;
import org.axonframework.eventsourcing.Snapshotter;

/**
 * Builds the real snapshotter on the first snapshot rather than at start-up: inspecting the
 * account aggregate needs the beans its command handlers take, and those are not all created
 * yet while the event store (which the snapshotter belongs to) is being wired.
 */
final class LazySnapshotter implements Snapshotter {

    private final Supplier<Snapshotter> factory;
    private volatile Snapshotter delegate;

    LazySnapshotter(Supplier<Snapshotter> factory) {
        this.factory = factory;
    }

    @Override
    public void scheduleSnapshot(Class<?> aggregateType, String aggregateIdentifier) {
        delegate().scheduleSnapshot(aggregateType, aggregateIdentifier);
    }

    private Snapshotter delegate() {
        Snapshotter current = delegate;
        if (current == null) {
            synchronized (this) {
                if (delegate == null) {
                    delegate = factory.get();
                }
                current = delegate;
            }
        }
        return current;
    }
}
