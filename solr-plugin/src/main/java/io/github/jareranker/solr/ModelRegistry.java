package io.github.jareranker.solr;

import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.encoder.InferencePool;
import io.github.jareranker.encoder.ModelLoadException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads each model once per JVM and shares it: every core (or query parser) that asks for it gets a {@link Lease} on
 * a {@link CrossEncoder}. Cores whose options differ only in how calls run (workers, queue limits, batch sizes: {@link
 * CrossEncoderOptions#sessionOptions()}) share one loaded model, tokenizer and ONNX Runtime session, each through an
 * encoder of its own ({@link CrossEncoder#share}); options that change what is loaded (files, maximum length,
 * truncation, activation, graph, device, ONNX Runtime threads or arena) load another copy. An encoder is closed when the
 * last lease on its options closes, and the model when the last encoder sharing it closes, so a core reload (the new
 * core acquires before the old one releases) keeps the loaded model and unloading every core frees it.
 *
 * <p>Models share {@link InferencePool}s: all encoders with the same pool settings (workers, by default one per core,
 * and admission limits) run their batches on one pool, so the cores are never asked for more concurrent inferences
 * than they have, however many cores, models and search threads there are. A pool lives while an encoder uses it.
 *
 * <p>Thread-safe. Loading happens under the registry lock, so two cores asking for the same model at once load it
 * once; loads of different models are serialized too, which is acceptable because they happen only while cores load.
 */
public final class ModelRegistry {
    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);
    private static final ModelRegistry GLOBAL = new ModelRegistry();

    private final RefCounted<CrossEncoderOptions, CrossEncoder> encoders = new RefCounted<>(CrossEncoder::close);
    private final RefCounted<InferencePool.Settings, InferencePool> pools = new RefCounted<>(InferencePool::close);
    private long loads;
    private long shares;

    ModelRegistry() {}

    /** The JVM-wide registry used by the query parser. */
    public static ModelRegistry global() {
        return GLOBAL;
    }

    /**
     * Returns a lease on an encoder for {@code options}: the one already open for equal options, else one sharing a
     * model loaded with the same {@link CrossEncoderOptions#sessionOptions()}, else a newly loaded model.
     *
     * @throws ModelLoadException if the model cannot be loaded (message names the path and the fix)
     */
    public synchronized Lease acquire(CrossEncoderOptions options) throws ModelLoadException {
        Objects.requireNonNull(options, "options");
        return new Lease(options, encoders.retain(options, this::open));
    }

    /** An encoder for {@code options} on a pool of its settings: shared from a loaded model if one fits. */
    private CrossEncoder open(CrossEncoderOptions options) throws ModelLoadException {
        InferencePool pool = pools.retain(options.poolSettings(), InferencePool::create);
        try {
            CrossEncoderOptions session = options.sessionOptions();
            for (CrossEncoder loaded : encoders.values()) {
                if (loaded.options().sessionOptions().equals(session)) {
                    shares++;
                    log.info("jarerank: {} shares the model loaded for {}", options, loaded.options());
                    return loaded.share(options, pool);
                }
            }
            long t0 = System.nanoTime();
            CrossEncoder encoder = CrossEncoder.load(options, pool);
            loads++;
            log.info("jarerank: loaded {} in {} ms", encoder.info(), (System.nanoTime() - t0) / 1_000_000);
            return encoder;
        } catch (ModelLoadException | RuntimeException e) {
            pools.release(options.poolSettings(), pool);
            throw e;
        }
    }

    private synchronized void release(CrossEncoderOptions options, CrossEncoder encoder) {
        if (encoders.release(options, encoder)) {
            pools.release(encoder.pool().settings(), encoder.pool());
            log.info(
                    "jarerank: closed the encoder of {} for {} (no core uses it any more)",
                    encoder.info().onnxFile(),
                    options);
        }
    }

    /** Number of distinct models loaded now (encoders that share one model count once). */
    public synchronized int loadedModels() {
        return (int) encoders.values().stream()
                .map(e -> e.options().sessionOptions())
                .distinct()
                .count();
    }

    /** Encoders open now: one per distinct options, sharing models where they can. */
    public synchronized int openEncoders() {
        return encoders.size();
    }

    /** Open leases on the encoder for {@code options}; 0 if there is none. */
    public synchronized int references(CrossEncoderOptions options) {
        return encoders.count(options);
    }

    /** Models loaded since the JVM started (a reload or a share that reuses a loaded model does not count). */
    public synchronized long totalLoads() {
        return loads;
    }

    /** Encoders opened on an already loaded model since the JVM started (see {@link CrossEncoder#share}). */
    public synchronized long totalShares() {
        return shares;
    }

    /** Inference pools in use (one per distinct pool settings). */
    public synchronized int activePools() {
        return pools.size();
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
