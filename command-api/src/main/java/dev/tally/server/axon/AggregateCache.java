package dev.tally.server.axon;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;

/**
 * Keeps hot account aggregates in memory so that a command does not re-source its account from
 * the event store. A bounded, strongly held Caffeine cache: Axon's weak-reference cache loses
 * its entries at every garbage collection, which under load meant re-reading most accounts.
 * Entries are evicted least-recently-used beyond {@link #MAX_AGGREGATES}; Axon removes an entry
 * itself when a unit of work that changed it rolls back (a lost concurrency race, for one).
 *
 * <p>Aggregates without an identifier are never cached: a rejected {@code OpenAccount} runs on a
 * new aggregate that never applied an event, and caching it under a null key would turn a 422
 * into a 500.
 */
final class AggregateCache implements Cache {

    static final long MAX_AGGREGATES = 20_000;

    private final ConcurrentMap<Object, Object> entries = Caffeine.newBuilder()
            .maximumSize(MAX_AGGREGATES)
            .<Object, Object>build()
            .asMap();
    private final List<EntryListener> listeners = new CopyOnWriteArrayList<>();

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> V get(K key) {
        return key == null ? null : (V) entries.get(key);
    }

    @Override
    public void put(Object key, Object value) {
        if (key == null) {
            return;
        }
        boolean existed = entries.put(key, value) != null;
        listeners.forEach(listener -> {
            if (existed) {
                listener.onEntryUpdated(key, value);
            } else {
                listener.onEntryCreated(key, value);
            }
        });
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        if (key == null || entries.putIfAbsent(key, value) != null) {
            return false;
        }
        listeners.forEach(listener -> listener.onEntryCreated(key, value));
        return true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T computeIfAbsent(Object key, Supplier<T> valueSupplier) {
        return key == null ? valueSupplier.get() : (T) entries.computeIfAbsent(key, absent -> valueSupplier.get());
    }

    @Override
    public boolean remove(Object key) {
        if (key == null || entries.remove(key) == null) {
            return false;
        }
        listeners.forEach(listener -> listener.onEntryRemoved(key));
        return true;
    }

    @Override
    public void removeAll() {
        entries.keySet().forEach(this::remove);
    }

    @Override
    public boolean containsKey(Object key) {
        return key != null && entries.containsKey(key);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
        if (key != null) {
            entries.computeIfPresent(key, (present, value) -> update.apply((V) value));
        }
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
