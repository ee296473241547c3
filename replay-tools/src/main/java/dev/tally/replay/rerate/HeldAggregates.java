package dev.tally.replay.rerate;

import java.util.HashMap;
import java.util.Map;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;

/**
 * Keeps the re-run's one account aggregate in memory between commands. Without a cache Axon
 * re-sources the aggregate from the in-memory event store for every command, which makes a re-run
 * quadratic in the account's history; Axon's weak-reference cache would lose it at every garbage
 * collection. The re-run is single-threaded and short-lived, so a plain map is enough.
 */
final class HeldAggregates implements Cache {

    private final Map<Object, Object> entries = new HashMap<>();

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> V get(K key) {
        return (V) entries.get(key);
    }

    @Override
    public void put(Object key, Object value) {
        if (key != null) {
            entries.put(key, value);
        }
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        return key != null && entries.putIfAbsent(key, value) == null;
    }

    @Override
    public boolean remove(Object key) {
        return entries.remove(key) != null;
    }

    @Override
    public void removeAll() {
        entries.clear();
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener listener) {
        throw new UnsupportedOperationException("the re-run's aggregate cache has no listeners");
    }
}
