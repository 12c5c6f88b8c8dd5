package io.github.jareranker.solr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Values shared under a key and counted: the first {@link #retain} of a key opens the value, later ones reuse it, and
 * the {@link #release} that drops the count to zero removes and closes it. The one lease pattern behind the JVM-wide
 * registries (models, pools, pair caches): a core reload retains before the old core releases, so what is shared
 * survives the reload. Not thread-safe: the owning registry calls it under its own lock.
 *
 * @param <K> the key (equal keys share one value)
 * @param <V> the value
 */
final class RefCounted<K, V> {
    /** Opens the value of a key on its first retain. */
    @FunctionalInterface
    interface Opener<K, V, E extends Exception> {
        V open(K key) throws E;
    }

    private final Map<K, Entry<V>> entries = new LinkedHashMap<>();
    private final Consumer<? super V> closer;

    /** @param closer what frees a value when its count reaches zero */
    RefCounted(Consumer<? super V> closer) {
        this.closer = closer;
    }

    /**
     * The value of {@code key}, opened by {@code opener} if none is held, with its count raised by one.
     *
     * @throws E what the opener throws; nothing is held then
     */
    <E extends Exception> V retain(K key, Opener<? super K, ? extends V, E> opener) throws E {
        Entry<V> e = entries.get(key);
        if (e == null) {
            e = new Entry<>(opener.open(key));
            entries.put(key, e);
        }
        e.count++;
        return e.value;
    }

    /**
     * Lowers the count of {@code key} if it still holds {@code value} (a stale or repeated release is ignored); at zero
     * removes and closes the value.
     *
     * @return whether the value was closed
     */
    boolean release(K key, V value) {
        Entry<V> e = entries.get(key);
        if (e == null || e.value != value || --e.count > 0) {
            return false;
        }
        entries.remove(key);
        closer.accept(value);
        return true;
    }

    /** Open retains of {@code key}; 0 if none. */
    int count(K key) {
        Entry<V> e = entries.get(key);
        return e == null ? 0 : e.count;
    }

    /** Keys held. */
    int size() {
        return entries.size();
    }

    /** The values held, in the order they were opened. */
    List<V> values() {
        List<V> values = new ArrayList<>(entries.size());
        entries.values().forEach(e -> values.add(e.value));
        return values;
    }

    private static final class Entry<V> {
        final V value;
        int count;

        Entry(V value) {
            this.value = value;
        }
    }
}
