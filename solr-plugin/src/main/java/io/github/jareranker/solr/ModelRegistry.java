package io.github.jareranker.solr;

import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.encoder.InferencePool;
import io.github.jareranker.encoder.ModelLoadException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads each model once per JVM and shares it: every core (or query parser) that asks for equal
 * {@link CrossEncoderOptions} gets a {@link Lease} on the same {@link CrossEncoder}. The encoder is
 * closed when the last lease is closed, so a core reload (the new core acquires before the old one
 * releases) keeps the loaded model and unloading every core frees it.
 *
 * <p>Models share {@link InferencePool}s: all models with the same pool settings (workers, by
 * default one per core, and admission limits) run their batches on one pool, so the cores are never
 * asked for more concurrent inferences than they have, however many cores, models and search
 * threads there are. A pool lives while a model uses it.
 *
 * <p>Thread-safe. Loading happens under the registry lock, so two cores asking for the same model at
 * once load it once; loads of different models are serialized too, which is acceptable because they
 * happen only while cores load.
 */
public final class ModelRegistry {
    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);
    private static final ModelRegistry GLOBAL = new ModelRegistry();

    private final Map<CrossEncoderOptions, Entry> entries = new HashMap<>();
    private final Map<InferencePool.Settings, SharedPool> pools = new HashMap<>();
    private long loads;

    ModelRegistry() {}

    /** The JVM-wide registry used by the query parser. */
    public static ModelRegistry global() {
        return GLOBAL;
    }

    /**
     * Returns a lease on the model for {@code options}, loading it if no lease is open.
     *
     * @throws ModelLoadException if the model cannot be loaded (message names the path and the fix)
     */
    public synchronized Lease acquire(CrossEncoderOptions options) throws ModelLoadException {
        Objects.requireNonNull(options, "options");
        Entry e = entries.get(options);
        if (e == null) {
            long t0 = System.nanoTime();
            InferencePool.Settings poolSettings = options.poolSettings();
            SharedPool shared = pools.get(poolSettings);
            if (shared == null) {
                shared = new SharedPool(InferencePool.create(poolSettings));
                pools.put(poolSettings, shared);
            }
            CrossEncoder encoder;
            try {
                encoder = CrossEncoder.load(options, shared.pool);
            } catch (ModelLoadException | RuntimeException ex) {
                if (shared.models == 0) {
                    pools.remove(poolSettings);
                    shared.pool.close();
                }
                throw ex;
            }
            shared.models++;
            loads++;
            e = new Entry(encoder);
            entries.put(options, e);
            log.info("jarerank: loaded {} in {} ms", encoder.info(), (System.nanoTime() - t0) / 1_000_000);
        }
        e.references++;
        return new Lease(options, e.encoder);
    }

    private synchronized void release(CrossEncoderOptions options, CrossEncoder encoder) {
        Entry e = entries.get(options);
        if (e == null || e.encoder != encoder) {
            return;
        }
        if (--e.references == 0) {
            entries.remove(options);
            encoder.close();
            InferencePool.Settings poolSettings = encoder.pool().settings();
            SharedPool shared = pools.get(poolSettings);
            if (shared != null && shared.pool == encoder.pool() && --shared.models == 0) {
                pools.remove(poolSettings);
                shared.pool.close();
            }
            log.info(
                    "jarerank: closed {} (no core uses it any more)",
                    encoder.info().onnxFile());
        }
    }

    /** Number of distinct models currently loaded. */
    public synchronized int loadedModels() {
        return entries.size();
    }

    /** Open leases on the model for {@code options}; 0 if it is not loaded. */
    public synchronized int references(CrossEncoderOptions options) {
        Entry e = entries.get(options);
        return e == null ? 0 : e.references;
    }

    /** Models loaded since the JVM started (a reload that reuses a loaded model does not count). */
    public synchronized long totalLoads() {
        return loads;
    }

    /** Inference pools in use (one per distinct pool settings). */
    public synchronized int activePools() {
        return pools.size();
    }

    private static final class SharedPool {
        final InferencePool pool;
        int models;

        SharedPool(InferencePool pool) {
            this.pool = pool;
        }
    }

    private static final class Entry {
        final CrossEncoder encoder;
        int references;

        Entry(CrossEncoder encoder) {
            this.encoder = encoder;
        }
    }

    /**
     * One holder's use of a shared model. {@link #close()} is idempotent; after it the encoder may be
     * closed by the registry at any time. Thread-safe.
     */
    public final class Lease implements AutoCloseable {
        private final CrossEncoderOptions options;
        private final CrossEncoder encoder;
        private boolean closed;

        private Lease(CrossEncoderOptions options, CrossEncoder encoder) {
            this.options = options;
            this.encoder = encoder;
        }

        /** The shared encoder; do not close it. */
        public CrossEncoder encoder() {
            return encoder;
        }

        public CrossEncoderOptions options() {
            return options;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            release(options, encoder);
        }
    }
}
