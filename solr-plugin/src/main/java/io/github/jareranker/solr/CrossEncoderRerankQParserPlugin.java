package io.github.jareranker.solr;

import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.encoder.InferencePool;
import io.github.jareranker.encoder.ModelLoadException;
import io.github.jareranker.encoder.NativeRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;
import org.apache.lucene.util.ResourceLoader;
import org.apache.lucene.util.ResourceLoaderAware;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.core.CoreContainer;
import org.apache.solr.core.PluginInfo;
import org.apache.solr.core.SolrResourceLoader;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.search.QParser;
import org.apache.solr.util.plugin.PluginInfoInitialized;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <queryParser name="jarerank" class="io.github.jareranker.solr.CrossEncoderRerankQParserPlugin">}:
 * reranks the first-pass top {@code reRankDocs} of a query with a Japanese cross-encoder.
 *
 * <p>Life cycle: {@link #init} validates the settings (a bad setting fails the core load with a
 * message naming it); {@link #inform} resolves model directories (relative ones against the Solr
 * home) and takes a lease on each model from the JVM-wide {@link ModelRegistry}, so every core
 * naming the same directory and options shares one loaded model; {@link #close} (called when the
 * core closes, also on reload) returns the leases, and the last one frees the model. Metrics are
 * registered in the core's registry ({@link MetricName}: {@code QUERYPARSER.<name>.*} on Solr 9, {@code
 * solr_jarerank_*} on Solr 10), plus the gauges {@code modelsLoadedInJvm}, {@code <model>.coresSharingModel} and
 * the model's inference pool, {@code <model>.pool.*}.
 *
 * <p>Thread-safe after {@link #inform}.
 */
public final class CrossEncoderRerankQParserPlugin extends MetricsReportingQParserPlugin
        implements ResourceLoaderAware, PluginInfoInitialized {
    private static final Logger log = LoggerFactory.getLogger(CrossEncoderRerankQParserPlugin.class);

    private final ModelRegistry registry;
    private volatile PluginConfig config;
    private volatile Map<String, ModelRegistry.Lease> leases = Map.of();
    private volatile Map<String, PairCacheRegistry.Lease> pairCaches = Map.of(); // pipeline: pair-score caches
    private volatile RerankMetrics metrics = RerankMetrics.NOOP;
    private volatile String name = "jarerank";

    /** Used by Solr. */
    public CrossEncoderRerankQParserPlugin() {
        this(ModelRegistry.global());
    }

    CrossEncoderRerankQParserPlugin(ModelRegistry registry) {
        this.registry = registry;
    }

    /** Solr calls this (not {@link #init(NamedList)}) when it knows the name the parser is registered under. */
    @Override
    public void init(PluginInfo info) {
        if (info.name != null) {
            this.name = info.name;
        }
        init(info.initArgs);
    }

    @Override
    public void init(NamedList<?> args) {
        this.config = PluginConfig.parse(args);
    }

    @Override
    public void inform(ResourceLoader loader) throws IOException {
        NativeRuntime.prepare();
        Path base = baseDirectory(loader);
        Map<String, ModelRegistry.Lease> acquired = new LinkedHashMap<>();
        try {
            for (ModelSpec spec : config().models().values()) {
                CrossEncoderOptions options;
                try {
                    options = spec.options(base);
                } catch (IllegalArgumentException e) {
                    throw ConfigException.of(RerankParams.MODELS + "/" + spec.name(), e.getMessage());
                }
                try {
                    acquired.put(spec.name(), registry.acquire(options));
                } catch (ModelLoadException e) {
                    // No chained cause: Solr reports the root cause's message, and this one names the setting.
                    log.error("jarerank: cannot load model '{}'", spec.name(), e);
                    throw new SolrException(
                            SolrException.ErrorCode.SERVER_ERROR,
                            "jarerank queryParser in solrconfig.xml: models/" + spec.name()
                                    + "/modelDirectory: cannot load the"
                                    + " model (relative paths are resolved against the Solr home " + base + "): "
                                    + e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            acquired.values().forEach(ModelRegistry.Lease::close);
            throw e;
        }
        Map<String, ModelRegistry.Lease> old = leases;
        Map<String, PairCacheRegistry.Lease> oldCaches = pairCaches;
        pairCaches = PairCaches.acquire(acquired, config().pairCacheSize());
        leases = Map.copyOf(acquired);
        old.values().forEach(ModelRegistry.Lease::close);
        oldCaches.values().forEach(PairCacheRegistry.Lease::close);
    }

    /** The pair-score cache of a configured model, if solrconfig.xml enables one. */
    Optional<PairCacheRegistry.Lease> pairCache(String modelName) {
        return Optional.ofNullable(pairCaches.get(modelName));
    }

    /** The Solr home (same for standalone and SolrCloud cores); the instance dir if it is unknown. */
    private static Path baseDirectory(ResourceLoader loader) {
        if (loader instanceof SolrResourceLoader) {
            SolrResourceLoader srl = (SolrResourceLoader) loader;
            CoreContainer cc = srl.getCoreContainer();
            if (cc != null && cc.getSolrHome() != null) {
                return Path.of(cc.getSolrHome().toString()).toAbsolutePath().normalize();
            }
            if (srl.getInstancePath() != null) {
                return srl.getInstancePath().toAbsolutePath().normalize();
            }
        }
        return Path.of("").toAbsolutePath();
    }

    @Override
    public QParser createParser(String qstr, SolrParams localParams, SolrParams params, SolrQueryRequest req) {
        return new CrossEncoderRerankQParser(
                qstr, localParams, params, req, new RerankServices(config(), this::lease, this::pairCache, metrics));
    }

    PluginConfig config() {
        PluginConfig c = config;
        if (c == null) {
            throw new IllegalStateException("jarerank query parser used before init()");
        }
        return c;
    }

    RerankMetrics metrics() {
        return metrics;
    }

    /** The lease of a configured model; the model is loaded by {@link #inform}. */
    ModelRegistry.Lease lease(String modelName) {
        ModelRegistry.Lease lease = leases.get(modelName);
        if (lease == null) {
            throw new SolrException(
                    SolrException.ErrorCode.SERVICE_UNAVAILABLE,
                    "jarerank: model '" + modelName + "' is not loaded (the core is loading or closing)");
        }
        return lease;
    }

    @Override
    void registerMetrics(MetricsBridge bridge) {
        this.metrics = new RerankMetrics(bridge);
        PluginConfig c = config;
        if (c != null) {
            bridge.gauge(MetricName.of("modelsLoadedInJvm"), () -> registry.loadedModels());
            PairCaches.registerGauges(bridge, () -> pairCaches);
            for (String model : c.models().keySet()) {
                bridge.gauge(MetricName.ofModel(model, null, "coresSharingModel"), () -> {
                    ModelRegistry.Lease l = leases.get(model);
                    return l == null ? 0 : registry.references(l.options());
                });
                registerPoolGauges(bridge, model);
            }
        }
    }

    /**
     * The model's inference pool, as {@code <model>.pool.*} gauges: workers, busyWorkers,
     * waitingCalls, rejectedQueueFull, rejectedWaitTooLong, queueWaitMs (total), batchesRun. The pool
     * is shared by every model (and core) with the same pool settings, so these are JVM-wide figures.
     */
    private void registerPoolGauges(MetricsBridge bridge, String model) {
        Map<String, ToLongFunction<InferencePool.Stats>> gauges = new LinkedHashMap<>();
        gauges.put("workers", InferencePool.Stats::workers);
        gauges.put("busyWorkers", InferencePool.Stats::busyWorkers);
        gauges.put("waitingCalls", InferencePool.Stats::waitingCalls);
        gauges.put("rejectedQueueFull", InferencePool.Stats::rejectedQueueFull);
        gauges.put("rejectedWaitTooLong", InferencePool.Stats::rejectedWaitTooLong);
        gauges.put("queueWaitMs", st -> st.queueWaitNanos() / 1_000_000L);
        gauges.put("batchesRun", InferencePool.Stats::batchesRun);
        gauges.forEach((metric, read) -> bridge.gauge(MetricName.ofModel(model, "pool", metric), () -> {
            ModelRegistry.Lease l = leases.get(model);
            return l == null ? 0L : read.applyAsLong(l.encoder().pool().stats());
        }));
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getDescription() {
        return "Reranks the first-pass top reRankDocs with a cross-encoder (ja-reranker); models "
                + (config == null ? "(not configured)" : config.models().keySet());
    }

    /** Returns the model leases (the last holder frees a model) and unregisters the metrics. */
    @Override
    public void close() throws IOException {
        Map<String, ModelRegistry.Lease> old = leases;
        leases = Map.of();
        old.values().forEach(ModelRegistry.Lease::close);
        Map<String, PairCacheRegistry.Lease> oldCaches = pairCaches;
        pairCaches = Map.of();
        oldCaches.values().forEach(PairCacheRegistry.Lease::close);
        unregisterMetrics();
        log.debug("jarerank query parser closed");
    }
}
