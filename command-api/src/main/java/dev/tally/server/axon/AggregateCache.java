package dev.tally.server.axon;

import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.WeakReferenceCache;

/**
 * The Account aggregate cache, which skips aggregates without an identifier. A rejected
 * {@code OpenAccount} (unknown plan, unsupported currency, ...) runs on a new aggregate that never
 * applied an event, so it has no identifier; Axon's caching repository would still put it under a
 * null key, fail with a NullPointerException and turn a 422 into a 500. Such an aggregate holds
 * nothing worth caching, so it is simply not cached.
 */
final class AggregateCache implements Cache {

    private final Cache delegate = new WeakReferenceCache();

    @Override
    public <K, V> V get(K key) {
        return key == null ? null : delegate.get(key);
    }

    @Override
    public void put(Object key, Object value) {
        if (key != null) {
            delegate.put(key, value);
        }
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        return key != null && delegate.putIfAbsent(key, value);
    }

    @Override
    public <T> T computeIfAbsent(Object key, Supplier<T> valueSupplier) {
        return key == null ? valueSupplier.get() : delegate.computeIfAbsent(key, valueSupplier);
    }

    @Override
    public boolean remove(Object key) {
        return key != null && delegate.remove(key);
    }

    @Override
    public void removeAll() {
        delegate.removeAll();
    }

    @Override
    public boolean containsKey(Object key) {
        return key != null && delegate.containsKey(key);
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener cacheEntryListener) {
        return delegate.registerCacheEntryListener(cacheEntryListener);
    }

    @Override
    public <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
        if (key != null) {
            delegate.computeIfPresent(key, update);
        }
    }
}
